#include "identity/identity_stage.h"

namespace tessera::identity {
namespace {

class DevModeIdentity final : public IdentityStage {
 public:
  absl::StatusOr<Principal> Identify(const http::Request&) const override { return Principal{}; }
};

}  // namespace

std::unique_ptr<IdentityStage> MakeDevModeIdentity() { return std::make_unique<DevModeIdentity>(); }

}  // namespace tessera::identity
