#include "api/key_set_auditor.h"

#include "audit/record_fields.h"

namespace tessera::api {

KeySetAuditor::KeySetAuditor(std::shared_ptr<audit::AuditLog> log, std::vector<Watched> watched)
    : log_(std::move(log)), watched_(std::move(watched)) {
  for (const Watched& w : watched_) {
    uint64_t version = w.keys->version();
    seen_.push_back(version);
    ready_.push_back(w.keys->ready());
    Record(w, version);
  }
  if (!watched_.empty()) thread_ = std::thread([this] { Run(); });
}

KeySetAuditor::~KeySetAuditor() {
  stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void KeySetAuditor::Record(const Watched& w, uint64_t version) {
  std::vector<std::string> kids;
  std::vector<std::string> algs;
  if (identity::BoundKeysPtr keys = w.keys->Keys()) {
    for (const identity::jose::BoundKey& k : *keys) {
      kids.push_back(k.key.kid);
      algs.emplace_back(identity::jose::AlgorithmName(k.alg));
    }
  }
  audit::RecordFields f;
  f.Str("time", audit::RecordTime())
      .Str("kind", "keyset")
      .Str("issuer", w.issuer)
      .StrOrNull("url", w.keys->url())
      .Int("version", static_cast<int64_t>(version))
      .Bool("ready", w.keys->ready())
      .StrList("kids", kids)
      .StrList("algs", algs);
  // Not tied to a request: nothing waits on it.
  log_->Submit(f.Take(), nullptr);
}

void KeySetAuditor::Run() {
  while (!stop_.WaitForNotificationWithTimeout(absl::Seconds(1))) {
    for (size_t i = 0; i < watched_.size(); ++i) {
      uint64_t version = watched_[i].keys->version();
      bool ready = watched_[i].keys->ready();
      if (version == seen_[i] && ready == ready_[i]) continue;
      seen_[i] = version;
      ready_[i] = ready;
      Record(watched_[i], version);
    }
  }
}

}  // namespace tessera::api
