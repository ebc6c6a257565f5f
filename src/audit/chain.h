#pragma once
// The audit log's hash chain. Every record is one JSON line
//
//   {"seq":7,"prev":"<hash of record 6>",<fields...>,"hash":"<hash of this>"}
//
// whose `hash` is the hex SHA-256 of the line's bytes from the opening brace
// up to (not including) `,"hash":`. Since those bytes hold `prev`, each
// record commits to every record before it: editing, deleting, inserting or
// reordering any record breaks the chain at the first record it touches.
// The first record of a log has seq 1 and prev kGenesisHash; a log continued
// in another file keeps counting (see docs/audit.md).
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"

namespace tessera::audit {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Where a chain ends: its last record's seq and hash (seq 0: no record yet).
struct ChainPoint {
  int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);
  bool operator==(const ChainPoint&) const = default;
};

// One record, sealed into the chain.
struct SealedRecord {
  int64_t seq = 0;
  std::string hash;
  std::string line;  // ends with '\n'
};

// Seals `fields` — JSON object members without braces, e.g.
// `"time":"…","kind":"start"` — as the record after `prev`.
SealedRecord Seal(const ChainPoint& prev, std::string_view fields);
// The same into `out`, reusing its strings' memory (the writer seals every
// request's record: a batch's records are sealed into the same slots).
void SealInto(int64_t prev_seq, std::string_view prev_hash, std::string_view fields, SealedRecord& out);

// One line read back (without its '\n'), checked on its own: the JSON
// object, its seq/prev/hash members, and that the hash is the line's.
struct OpenedRecord {
  int64_t seq = 0;
  std::string prev;
  std::string hash;
  boost::json::object fields;  // every member, seq/prev/hash included
};
absl::StatusOr<OpenedRecord> OpenLine(std::string_view line);

// Lower-case hex SHA-256.
std::string HexSha256(std::string_view data);

}  // namespace tessera::audit
