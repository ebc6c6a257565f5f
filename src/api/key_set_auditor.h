#pragma once
// Records the identity providers' key sets in the audit log: which keys each
// issuer published when the server started, and every change after (a
// rotation, a key removed, a provider that fell silent beyond the stale
// limit), so an investigator can tell which keys could have verified a token
// at any time. A thread looks at each JwksCache's version once a second; the
// caches themselves know nothing about auditing.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "audit/audit_log.h"
#include "identity/remote/jwks_cache.h"

namespace tessera::api {

class KeySetAuditor {
 public:
  struct Watched {
    std::string issuer;  // the issuer, or the CUBEJS_JWK_URL's label
    std::shared_ptr<identity::JwksCache> keys;
  };
  // Records the current key sets at once, then their changes until destroyed.
  KeySetAuditor(std::shared_ptr<audit::AuditLog> log, std::vector<Watched> watched);
  ~KeySetAuditor();

 private:
  void Record(const Watched& w, uint64_t version);
  void Run();

  std::shared_ptr<audit::AuditLog> log_;
  std::vector<Watched> watched_;
  std::vector<uint64_t> seen_;
  std::vector<bool> ready_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace tessera::api
