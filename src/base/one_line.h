#pragma once
// A library's multi-line message (libpq's end with a newline and may go on
// with "\tIs the server running...") as one line for a Status: newlines and
// tabs become single spaces, trailing space is dropped.
#include <string>
#include <string_view>

namespace tessera {

std::string OneLine(std::string_view text);

}  // namespace tessera
