#pragma once
// Database error messages may quote the values they failed on ("invalid
// input syntax for type integer: "abc""). Those values come from requests and
// security contexts — user data that must not reach logs or responses — so
// every message passes through here before it becomes a Status.
#include <string>
#include <string_view>

#include "sql/param.h"

namespace tessera::driver {

// `message` with every occurrence of a bound parameter's text replaced by
// "<param>". Parameters shorter than two characters are left alone: hiding
// "1" would garble the message without protecting anything.
std::string RedactParams(std::string_view message, const sql::Params& params);

// `message` with `secret` (a password) removed, whatever its length.
std::string RedactSecret(std::string_view message, std::string_view secret);

}  // namespace tessera::driver
