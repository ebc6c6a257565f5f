#include "base/internal_reason.h"

#include "absl/strings/cord.h"

namespace tessera {
namespace {
constexpr char kReasonUrl[] = "tessera.dev/internal-reason";
}  // namespace

absl::Status WithInternalReason(absl::Status status, std::string_view reason) {
  status.SetPayload(kReasonUrl, absl::Cord(absl::string_view(reason.data(), reason.size())));
  return status;
}

std::string InternalReason(const absl::Status& status) {
  auto reason = status.GetPayload(kReasonUrl);
  if (reason.has_value()) return std::string(*reason);
  return std::string(status.message());
}

}  // namespace tessera
