#pragma once
// Splits a request target ("/cubejs-api/v1/load?query=%7B...%7D") into a
// decoded path and decoded query parameters.
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tessera::http {

struct DecodedTarget {
  std::string path;  // percent-decoded; never contains NUL
  std::map<std::string, std::string> query_params;  // last one wins
};

// Accepts origin-form ("/p?q"), absolute-form ("http://h/p?q") and, for
// OPTIONS, asterisk-form ("*"). Query strings are decoded as
// application/x-www-form-urlencoded: '+' is a space, as browsers and
// `curl --data-urlencode` produce. Characters RFC 3986 forbids but clients
// send unencoded in practice (`{`, `"`, `[` in a hand-typed JSON query) are
// tolerated, as Node's server (and therefore Cube) tolerates them.
// InvalidArgument for a bad percent escape, a NUL in the path, or a target
// that is no URL at all.
absl::StatusOr<DecodedTarget> DecodeTarget(std::string_view target);

}  // namespace tessera::http
