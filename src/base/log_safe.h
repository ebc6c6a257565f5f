#pragma once
// Text that came from a request (a token header's kid, a tenant id from a
// claim) made safe for one log line: control and non-ASCII bytes escaped as
// \xNN and the length bounded, so it can neither forge log lines nor flood
// the log.
#include <string>
#include <string_view>

namespace tessera {

std::string LogSafe(std::string_view text);

}  // namespace tessera
