#pragma once
// `tessera audit verify --postgres URL`: the same checks as for files, on the
// PostgreSQL sink's table, rehashing every stored line in seq order. The
// table holds the whole chain as one sequence; its file_start records mark
// where the server began a new file, so each becomes the start of a segment
// the verifier checks as it would that file.
#include <string>

#include "absl/status/statusor.h"
#include "audit/log_verifier.h"

namespace tessera::audit {

absl::StatusOr<VerifyReport> VerifyAuditTable(const std::string& conninfo, const std::string& table,
                                              const VerifyOptions& options);

}  // namespace tessera::audit
