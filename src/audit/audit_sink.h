#pragma once
// Where sealed audit records are stored: the local file (file_sink.h) and a
// PostgreSQL table (pg_sink.h). The AuditLog writes every batch to all of its
// sinks, in order, and answers the requests the batch describes only when
// every sink has stored it durably. Sinks therefore always hold the same
// chain: when a later sink fails, the earlier ones take the batch back
// (Rollback), so none is ever ahead of what was acknowledged.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "audit/chain.h"

namespace tessera::audit {

class AuditSink {
 public:
  virtual ~AuditSink() = default;

  // For messages: "file audit/audit.log", "postgresql table tessera_audit".
  virtual std::string Describe() const = 0;

  // Opens the storage (creating it when missing) and returns where its chain
  // ends (seq 0 when empty). Called again after a failure, to recover.
  virtual absl::StatusOr<ChainPoint> Open() = 0;

  // Stores the batch (consecutive records, in order) durably: on return with
  // OK it survives a crash of the process and of the machine.
  virtual absl::Status Append(absl::Span<const SealedRecord> batch) = 0;

  // Takes back the last successful Append (a later sink failed to store the
  // same batch). A sink that cannot do that (an append-only table) answers
  // with an error; the AuditLog keeps such sinks last, so they are never
  // asked.
  virtual absl::Status Rollback() = 0;

  // The stored records after `seq`, in order, at most `limit` of them: the
  // AuditLog copies them into a sink that fell behind (a batch a later sink
  // committed though its answer was lost), after checking that they chain.
  virtual absl::StatusOr<std::vector<SealedRecord>> RecordsAfter(int64_t seq, size_t limit) = 0;

  // Whether the current segment should be closed before `next_seq` is
  // appended (size or age limit). Sinks without segments answer false.
  virtual bool WantsRotation() const { return false; }
  // Closes the current segment (its file_end record is already appended)
  // and starts a new one. Only the file sink rotates.
  virtual absl::Status Rotate() { return absl::OkStatus(); }

  // After the last Append (the log stopped): leaves the storage as a reader
  // should find it (the file sink cuts off its reserve) and lets it go.
  virtual absl::Status Close() { return absl::OkStatus(); }
};

}  // namespace tessera::audit
