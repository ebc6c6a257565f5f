#pragma once
// The audit log: every access decision, sealed into one hash chain and
// stored durably in every sink before the request it describes is answered.
//
// Requests hand their record to Submit() with the code that sends their
// response; one writer thread takes whatever has queued up, seals it, and
// stores it as one batch (one write and one fdatasync per file, however many
// requests are waiting: group commit), then lets the responses go. So a
// response never leaves before its record is durable, and the cost of a
// sync is shared by all requests that arrived during the previous one. Under
// load the writer also waits briefly for more records before it syncs
// (commit_delay; commit_target.h says for how many).
//
// When a sink fails, the records of that batch are taken back from the sinks
// that had stored them, the log turns unhealthy, and (on_failure: refuse)
// every request is answered 503 until the writer, retrying, can store again;
// it then writes an `audit_outage` record saying how long it lasted and how
// many requests were refused. With on_failure: warn, requests are answered
// anyway and their records kept in memory (bounded) until they can be stored.
//
// The chain continues across restarts and files: Start() reads where each
// sink's chain ends, brings a sink that fell behind up to date, and refuses to
// start on a chain whose last record is not valid.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "audit/audit_sink.h"
#include "audit/chain.h"
#include "audit/commit_target.h"
#include "audit/file_sink.h"
#include "audit/record_signer.h"

namespace tessera::audit {

enum class OnFailure { kRefuse, kWarn };

struct AuditLogOptions {
  OnFailure on_failure = OnFailure::kRefuse;
  // Signs each rotated file's final hash (file_end); optional.
  std::shared_ptr<const RecordSigner> signer;
  // How often an unhealthy log tries its sinks again.
  std::chrono::milliseconds retry_every{500};
  // on_failure: warn keeps at most this many unstored records.
  size_t max_backlog = 100000;
  // Group commit: the longest a record waits for others to share its sync
  // (0: sync at once); how many it waits for follows the load
  // (commit_target.h).
  std::chrono::microseconds commit_delay{1000};
  // The server's open connections (bounds the wait, see commit_target.h);
  // without it the writer never waits.
  std::shared_ptr<const std::atomic<int64_t>> open_connections;
};

// Called once a record's fate is known: OK when it is durable in every sink;
// Unavailable when it could not be stored and the request must be refused.
using RecordDone = std::function<void(absl::Status)>;

// What /readyz and the operator see.
struct AuditHealth {
  bool healthy = true;
  std::string problem;       // the last storage error while unhealthy
  ChainPoint head;           // the last durable record
  int64_t refused = 0;       // requests refused during the current outage
};

class AuditLog {
 public:
  // `file` (may be null) is the local file sink; `others` come after it.
  // Nothing is opened yet.
  AuditLog(AuditLogOptions options, std::unique_ptr<FileSink> file, std::vector<std::unique_ptr<AuditSink>> others);
  ~AuditLog();  // Stop()s

  // Opens the sinks, reconciles their chains, writes the `start` record
  // (members `start_fields`) and starts the writer. A chain that cannot be
  // continued safely (DataLoss: an invalid last record, sinks that disagree)
  // is an error; a sink that is merely unavailable is not: the log starts
  // unhealthy and keeps retrying.
  absl::Status Start(std::string start_fields);

  // Seals `fields` (record members without braces, "time" and "kind" first)
  // into the chain and calls `done` when it is stored, or failed, on the
  // writer thread (or at once, while the log refuses). The text is copied.
  void Submit(std::string_view fields, RecordDone done);

  // The record of a request that was refused because the log could not store
  // (its RecordDone said Unavailable), made anew to say so: kept in memory
  // while the log is down and stored after its `audit_outage` record (or in
  // the next batch, if the log is back already). Counted as unrecorded when
  // the backlog is full, dropped once the log is stopping.
  void KeepForLater(std::string_view fields);

  // Writes the `stop` record, stores everything queued and stops the writer.
  void Stop(std::string stop_fields);

  AuditHealth Health() const;
  std::vector<std::string> SinkNames() const;

 private:
  // A submitted record: its text is queued text [previous end, end).
  struct Pending {
    size_t end = 0;
    RecordDone done;
  };
  // Submitted records, their texts in one buffer: a request's record is
  // copied once into memory that is reused batch after batch, rather than
  // allocated by one thread and freed by another.
  struct Queue {
    std::string text;
    std::vector<Pending> records;
    void Add(std::string_view fields, RecordDone done) {
      text.append(fields.data(), fields.size());
      records.push_back(Pending{text.size(), std::move(done)});
    }
    std::string_view Fields(size_t i) const {
      size_t begin = i == 0 ? 0 : records[i - 1].end;
      return std::string_view(text).substr(begin, records[i].end - begin);
    }
    void Clear() {
      text.clear();
      records.clear();
    }
  };
  void WriterLoop();
  // Stores `records` (already sealed after head_) in every sink or none.
  absl::Status StoreEverywhere(absl::Span<const SealedRecord> records);
  // Seals `fields_list` after head_, stores them, advances head_.
  absl::Status WriteBatch(absl::Span<const std::string_view> fields_list);
  absl::Status Write(const std::vector<std::string>& fields_list);
  // Opens every sink and brings them to one chain end (head_).
  absl::Status Recover();
  absl::Status RotateIfDue();
  absl::Status WriteFileStartIfNeeded();
  void Fail(Queue& batch, const absl::Status& why);
  void MarkHealthy();

  AuditLogOptions options_;
  FileSink* file_ = nullptr;  // owned by sinks_ (first)
  std::vector<std::unique_ptr<AuditSink>> sinks_;

  // Writer-thread state.
  ChainPoint head_;
  Queue batch_;                       // the batch being written
  std::vector<SealedRecord> sealed_;  // its records, sealed (slots reused)
  // For the stop line in the server log: how well group commit groups.
  ArrivalRate arrivals_;
  std::chrono::steady_clock::time_point last_take_{};
  int64_t batches_ = 0;
  int64_t batched_records_ = 0;
  std::chrono::steady_clock::duration store_time_{};
  absl::Time outage_since_;

  mutable absl::Mutex mu_;
  Queue queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool healthy_ ABSL_GUARDED_BY(mu_) = true;
  std::string problem_ ABSL_GUARDED_BY(mu_);
  int64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
  // Records kept while the log is down (on_failure: warn — every record;
  // refuse — the refusals', from KeepForLater), stored at recovery; and the
  // number of those that did not fit.
  std::vector<std::string> backlog_ ABSL_GUARDED_BY(mu_);
  int64_t unrecorded_ ABSL_GUARDED_BY(mu_) = 0;
  ChainPoint durable_ ABSL_GUARDED_BY(mu_);
  std::string stop_fields_ ABSL_GUARDED_BY(mu_);
  std::thread writer_;
};

}  // namespace tessera::audit
