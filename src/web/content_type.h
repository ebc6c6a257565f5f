#pragma once
// The Content-Type of a built web app's file, from its extension. Only what a
// Vite build emits is listed; anything else is served as bytes to download,
// never sniffed (the responses carry X-Content-Type-Options: nosniff).
#include <string_view>

namespace tessera::web {

std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace tessera::web
