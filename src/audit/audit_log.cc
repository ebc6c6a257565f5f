#include "audit/audit_log.h"

#include <filesystem>
#include <optional>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "audit/record_fields.h"

namespace tessera::audit {
namespace {

absl::Status InSink(const AuditSink& sink, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(sink.Describe(), ": ", std::string(s.message())));
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

absl::Status Refusal() { return absl::UnavailableError("audit log unavailable"); }

// Errors that retrying will not fix: the chain itself is in question.
bool IsFatal(const absl::Status& s) {
  return s.code() == absl::StatusCode::kDataLoss || s.code() == absl::StatusCode::kInvalidArgument ||
         s.code() == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

AuditLog::AuditLog(AuditLogOptions options, std::unique_ptr<FileSink> file,
                   std::vector<std::unique_ptr<AuditSink>> others)
    : options_(std::move(options)) {
  if (file != nullptr) {
    file_ = file.get();
    sinks_.push_back(std::move(file));
  }
  for (auto& sink : others) sinks_.push_back(std::move(sink));
}

AuditLog::~AuditLog() {
  if (writer_.joinable()) Stop(RecordFields().Str("time", RecordTime()).Str("kind", "stop").Take());
}

std::vector<std::string> AuditLog::SinkNames() const {
  std::vector<std::string> names;
  for (const auto& sink : sinks_) names.push_back(sink->Describe());
  return names;
}

AuditHealth AuditLog::Health() const {
  absl::MutexLock lock(&mu_);
  return AuditHealth{healthy_, problem_, durable_, refused_};
}

absl::Status AuditLog::Start(std::string start_fields) {
  absl::Status s = Recover();
  if (!s.ok()) {
    if (IsFatal(s)) return s;
    spdlog::error("audit log: {}; data requests are {} until it can be written", Message(s),
                  options_.on_failure == OnFailure::kRefuse ? "refused" : "answered without their records");
    absl::MutexLock lock(&mu_);
    healthy_ = false;
    problem_ = Message(s);
    outage_since_ = absl::Now();
  }
  {
    // The start record comes before anything submitted meanwhile.
    absl::MutexLock lock(&mu_);
    Queue queued;
    queued.Add(start_fields, nullptr);
    for (size_t i = 0; i < queue_.records.size(); ++i) queued.Add(queue_.Fields(i), std::move(queue_.records[i].done));
    queue_ = std::move(queued);
  }
  writer_ = std::thread([this] { WriterLoop(); });
  return absl::OkStatus();
}

void AuditLog::Stop(std::string stop_fields) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    stop_fields_ = std::move(stop_fields);
  }
  if (writer_.joinable()) writer_.join();
}

void AuditLog::Submit(std::string_view fields, RecordDone done) {
  bool refuse = false;
  bool answer_now = false;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ || (!healthy_ && options_.on_failure == OnFailure::kRefuse && done)) {
      ++refused_;
      refuse = true;
    } else if (!healthy_) {
      // on_failure: warn — answered now, stored when the sinks are back;
      // and a record no request waits for (a key set's), in either mode.
      if (backlog_.size() < options_.max_backlog) {
        backlog_.emplace_back(fields);
      } else {
        ++unrecorded_;
      }
      answer_now = true;
    } else {
      queue_.Add(fields, std::move(done));
    }
  }
  if (refuse && done) done(Refusal());
  if (answer_now && done) done(absl::OkStatus());
}

void AuditLog::KeepForLater(std::string_view fields) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  if (healthy_) {
    // Recovered since the refusal: the next batch takes it.
    queue_.Add(fields, nullptr);
  } else if (backlog_.size() < options_.max_backlog) {
    backlog_.emplace_back(fields);
  } else {
    ++unrecorded_;
  }
}

absl::Status AuditLog::StoreEverywhere(absl::Span<const SealedRecord> records) {
  for (size_t i = 0; i < sinks_.size(); ++i) {
    absl::Status s = sinks_[i]->Append(records);
    if (s.ok()) continue;
    // The sinks before it hold a batch no response depended on: take it back
    // so that all of them keep the same chain. What cannot be taken back is
    // copied into the others by Recover().
    for (size_t j = 0; j < i; ++j) {
      absl::Status undone = sinks_[j]->Rollback();
      if (!undone.ok()) spdlog::error("audit log: {}", Message(InSink(*sinks_[j], undone)));
    }
    return InSink(*sinks_[i], s);
  }
  return absl::OkStatus();
}

absl::Status AuditLog::Write(const std::vector<std::string>& fields_list) {
  std::vector<std::string_view> views(fields_list.begin(), fields_list.end());
  return WriteBatch(absl::MakeConstSpan(views));
}

absl::Status AuditLog::WriteBatch(absl::Span<const std::string_view> fields_list) {
  if (fields_list.empty()) return absl::OkStatus();
  if (sealed_.size() < fields_list.size()) sealed_.resize(fields_list.size());
  int64_t seq = head_.seq;
  std::string_view hash = head_.hash;
  for (size_t i = 0; i < fields_list.size(); ++i) {
    SealInto(seq, hash, fields_list[i], sealed_[i]);
    seq = sealed_[i].seq;
    hash = sealed_[i].hash;
  }
  absl::Status s = StoreEverywhere(absl::MakeConstSpan(sealed_.data(), fields_list.size()));
  if (s.ok()) {
    // Before the slots are trimmed: `hash` points into the last one.
    head_.seq = seq;
    head_.hash.assign(hash.data(), hash.size());
  }
  // Slots are kept for the next batch, but not the memory of a rare huge
  // one (a backlog of up to max_backlog records after an outage).
  constexpr size_t kKeptSlots = 4096;
  if (sealed_.size() > kKeptSlots) sealed_.resize(kKeptSlots);
  if (!s.ok()) return s;
  absl::MutexLock lock(&mu_);
  durable_ = head_;
  return absl::OkStatus();
}

absl::Status AuditLog::Recover() {
  if (sinks_.empty()) return absl::InvalidArgumentError("the audit log has no sink");
  std::vector<ChainPoint> ends;
  for (const auto& sink : sinks_) {
    absl::StatusOr<ChainPoint> end = sink->Open();
    if (!end.ok()) return InSink(*sink, end.status());
    ends.push_back(*end);
  }
  size_t ahead = 0;
  for (size_t i = 1; i < ends.size(); ++i) {
    if (ends[i].seq > ends[ahead].seq) ahead = i;
  }
  AuditSink& leader = *sinks_[ahead];
  for (size_t i = 0; i < sinks_.size(); ++i) {
    if (i == ahead) continue;
    ChainPoint at = ends[i];
    if (at.seq == ends[ahead].seq) {
      if (at.hash != ends[ahead].hash) {
        return absl::DataLossError(absl::StrCat("the audit sinks disagree: record ", at.seq, " differs between ",
                                                sinks_[i]->Describe(), " and ", leader.Describe()));
      }
      continue;
    }
    // The sink fell behind (a batch that a later sink stored although its
    // answer was lost, or one that could not be taken back): it must hold
    // the same history up to its end, and gets the rest copied.
    if (at.seq > 0) {
      absl::StatusOr<std::vector<SealedRecord>> same = leader.RecordsAfter(at.seq - 1, 1);
      if (!same.ok()) return InSink(leader, same.status());
      if (same->empty() || same->front().hash != at.hash) {
        return absl::DataLossError(absl::StrCat("the audit sinks disagree: record ", at.seq, " differs between ",
                                                sinks_[i]->Describe(), " and ", leader.Describe()));
      }
    }
    while (at.seq < ends[ahead].seq) {
      absl::StatusOr<std::vector<SealedRecord>> missing = leader.RecordsAfter(at.seq, 1000);
      if (!missing.ok()) return InSink(leader, missing.status());
      if (missing->empty()) return absl::DataLossError(absl::StrCat(leader.Describe(), " lost records after ", at.seq));
      for (const SealedRecord& r : *missing) {
        absl::StatusOr<OpenedRecord> opened = OpenLine(std::string_view(r.line).substr(0, r.line.size() - 1));
        if (!opened.ok() || opened->seq != at.seq + 1 || opened->prev != at.hash) {
          return absl::DataLossError(
              absl::StrCat(leader.Describe(), ": record ", at.seq + 1, " does not continue the chain"));
        }
        at = ChainPoint{opened->seq, opened->hash};
      }
      if (absl::Status s = sinks_[i]->Append(*missing); !s.ok()) return InSink(*sinks_[i], s);
      spdlog::warn("audit log: copied records up to {} into {}", at.seq, sinks_[i]->Describe());
    }
  }
  head_ = ends[ahead];
  {
    absl::MutexLock lock(&mu_);
    durable_ = head_;
  }
  // First, so that a file whose only line was torn (a file_start cut by a
  // crash mid-rotation) still begins with one.
  if (absl::Status s = WriteFileStartIfNeeded(); !s.ok()) return s;
  if (file_ != nullptr && file_->recovered()) {
    const TornTail& torn = *file_->recovered();
    // The cut bytes were a batch whose write a crash interrupted: nobody was
    // answered on its strength. They are kept aside for the investigator.
    std::string fields = RecordFields()
                             .Str("time", RecordTime())
                             .Str("kind", "recovered")
                             .Int("torn_bytes", torn.bytes)
                             .Str("moved_to", torn.moved_to)
                             .Take();
    if (absl::Status s = Write({fields}); !s.ok()) return s;
    spdlog::warn("audit log: an incomplete last record ({} bytes) was moved to {}", torn.bytes, torn.moved_to);
    file_->ClearRecovered();
  }
  if (file_ != nullptr && file_->active_was_missing()) {
    // Whatever the missing file held is gone, and the verifier cannot tell
    // from the files alone (the chain goes on from the newest rotated one):
    // the log says so itself, right after the new file's file_start.
    std::string fields = RecordFields()
                             .Str("time", RecordTime())
                             .Str("kind", "file_missing")
                             .Str("file", std::filesystem::path(file_->path()).filename().string())
                             .StrOrNull("continues_from", file_->previous_file())
                             .Take();
    if (absl::Status s = Write({fields}); !s.ok()) return s;
    spdlog::error("audit log: the active file {} was missing beside rotated files: it was deleted, unless the server "
                  "stopped in the middle of a rotation; the chain continues from {}",
                  file_->path(), file_->previous_file());
    file_->ClearActiveWasMissing();
  }
  return absl::OkStatus();
}

absl::Status AuditLog::WriteFileStartIfNeeded() {
  if (file_ == nullptr || !file_->NeedsFileStart()) return absl::OkStatus();
  RecordFields f;
  f.Str("time", RecordTime()).Str("kind", "file_start").Int("file", file_->segment()).StrOrNull("previous_file",
                                                                                              file_->previous_file());
  return Write({f.Take()});
}

absl::Status AuditLog::RotateIfDue() {
  if (file_ == nullptr || !file_->WantsRotation()) return absl::OkStatus();
  RecordFields f;
  f.Str("time", RecordTime()).Str("kind", "file_end").Int("file", file_->segment());
  if (options_.signer != nullptr) {
    // Over the record before file_end, which commits to the whole chain.
    f.Str("key_id", options_.signer->key_id()).Str("signature", options_.signer->Sign(head_));
  } else {
    f.Null("key_id").Null("signature");
  }
  if (absl::Status s = Write({f.Take()}); !s.ok()) return s;
  if (absl::Status s = file_->Rotate(); !s.ok()) return InSink(*file_, s);
  return WriteFileStartIfNeeded();
}

void AuditLog::Fail(Queue& batch, const absl::Status& why) {
  std::vector<RecordDone> answer;
  {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < batch.records.size(); ++i) {
      Pending& p = batch.records[i];
      if (options_.on_failure == OnFailure::kRefuse && p.done) {
        // Its request is refused; the caller makes the refusal's record.
        ++refused_;
      } else if (backlog_.size() < options_.max_backlog) {
        // Answered anyway (warn), or a record no request waits for.
        backlog_.emplace_back(batch.Fields(i));
      } else {
        ++unrecorded_;
      }
      if (p.done) answer.push_back(std::move(p.done));
    }
  }
  absl::Status result = options_.on_failure == OnFailure::kRefuse ? Refusal() : absl::OkStatus();
  (void)why;
  for (RecordDone& done : answer) done(result);
}

void AuditLog::MarkHealthy() {
  absl::MutexLock lock(&mu_);
  healthy_ = true;
  problem_.clear();
}

void AuditLog::WriterLoop() {
  bool healthy;
  {
    absl::MutexLock lock(&mu_);
    healthy = healthy_;
  }
  Queue& batch = batch_;
  std::vector<std::string_view> fields;
  while (true) {
    batch.Clear();
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.records.empty() || stopping_; };
      // Healthy: wake for work (and now and then for an age-based rotation).
      // Unhealthy: wake to try the sinks again.
      mu_.AwaitWithTimeout(absl::Condition(&ready),
                           healthy ? absl::Seconds(1) : absl::FromChrono(options_.retry_every));
      if (healthy && !stopping_ && !queue_.records.empty()) {
        std::optional<int64_t> clients;
        if (options_.open_connections) clients = options_.open_connections->load(std::memory_order_relaxed);
        const size_t target = GroupCommitTarget(arrivals_.per_second(), options_.commit_delay, clients);
        if (queue_.records.size() < target) {
          auto enough = [this, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
            return queue_.records.size() >= target || stopping_;
          };
          mu_.AwaitWithTimeout(absl::Condition(&enough), absl::FromChrono(options_.commit_delay));
        }
        const auto now = std::chrono::steady_clock::now();
        if (last_take_ != std::chrono::steady_clock::time_point{}) {
          arrivals_.Observe(queue_.records.size(), now - last_take_);
        }
        last_take_ = now;
      }
      // Swapped, not copied: both buffers keep their memory for next time.
      std::swap(batch, queue_);
      stopping = stopping_;
    }
    if (!healthy) {
      absl::Status s = Recover();
      if (s.ok()) {
        std::vector<std::string> backlog;
        int64_t refused = 0, unrecorded = 0;
        std::string problem;
        {
          absl::MutexLock lock(&mu_);
          backlog.swap(backlog_);
          refused = refused_;
          unrecorded = unrecorded_;
          problem = problem_;
          // Requests are taken again from here on (this thread writes the
          // catch-up before their batch), so no refusal can fall between
          // the counts above and the end of the outage.
          healthy_ = true;
          refused_ = 0;
          unrecorded_ = 0;
        }
        std::vector<std::string> catch_up;
        catch_up.push_back(RecordFields()
                               .Str("time", RecordTime())
                               .Str("kind", "audit_outage")
                               .Str("since", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", outage_since_, absl::UTCTimeZone()))
                               .Str("until", RecordTime())
                               .Int("refused", refused)
                               .Int("unrecorded", unrecorded)
                               .Str("error", problem)
                               .Take());
        for (std::string& fields : backlog) catch_up.push_back(std::move(fields));
        s = Write(catch_up);
        if (!s.ok()) {
          absl::MutexLock lock(&mu_);
          // Still down: the outage goes on, with its counts and its backlog
          // (in front of anything kept meanwhile).
          healthy_ = false;
          refused_ += refused;
          unrecorded_ += unrecorded;
          for (size_t i = 1; i < catch_up.size(); ++i) backlog_.insert(backlog_.begin() + (i - 1), std::move(catch_up[i]));
        }
      }
      if (!s.ok()) {
        {
          absl::MutexLock lock(&mu_);
          problem_ = Message(s);
        }
        Fail(batch, s);
        if (stopping) break;
        continue;
      }
      spdlog::warn("audit log: writable again; the outage is recorded at seq {}", head_.seq);
      MarkHealthy();
      healthy = true;
    }
    absl::Status s = RotateIfDue();
    if (s.ok() && !batch.records.empty()) {
      fields.clear();
      for (size_t i = 0; i < batch.records.size(); ++i) fields.push_back(batch.Fields(i));
      auto began = std::chrono::steady_clock::now();
      s = WriteBatch(absl::MakeConstSpan(fields));
      store_time_ += std::chrono::steady_clock::now() - began;
      ++batches_;
      batched_records_ += static_cast<int64_t>(fields.size());
    }
    if (s.ok()) {
      for (Pending& p : batch.records) {
        if (p.done) p.done(absl::OkStatus());
      }
    } else {
      spdlog::error("audit log: {}; data requests are {} until it can be written", Message(s),
                    options_.on_failure == OnFailure::kRefuse ? "refused" : "answered without their records");
      {
        absl::MutexLock lock(&mu_);
        healthy_ = false;
        problem_ = Message(s);
      }
      healthy = false;
      outage_since_ = absl::Now();
      Fail(batch, s);
    }
    if (stopping) {
      std::string stop_fields;
      {
        absl::MutexLock lock(&mu_);
        if (!queue_.records.empty()) continue;  // submitted while this batch was written
        stop_fields = std::move(stop_fields_);
      }
      if (healthy) {
        if (absl::Status st = Write({stop_fields}); !st.ok()) spdlog::error("audit log: {}", Message(st));
      }
      for (const auto& sink : sinks_) {
        if (absl::Status st = sink->Close(); !st.ok()) spdlog::error("audit log: {}", Message(InSink(*sink, st)));
      }
      if (batches_ > 0) {
        spdlog::info("audit log: {} records in {} batches ({:.1f} per batch), {:.3f} ms per batch stored", batched_records_,
                     batches_, static_cast<double>(batched_records_) / static_cast<double>(batches_),
                     std::chrono::duration<double, std::milli>(store_time_).count() / static_cast<double>(batches_));
      }
      break;
    }
  }
}

}  // namespace tessera::audit
