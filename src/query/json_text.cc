#include "query/json_text.h"

#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>

#include "base/user_error.h"

namespace tessera::query {

absl::StatusOr<boost::json::value> ParseJsonText(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  size_t consumed = 0;
  try {
    consumed = parser.write(text.data(), text.size(), ec);
    if (!ec) {
      parser.finish(ec);
      if (ec) consumed = text.size();
    }
    if (ec) {
      return UserError("Invalid query JSON at position " + std::to_string(consumed) + ": " +
                       ec.message());
    }
    return parser.release();
  } catch (const std::exception& e) {
    // Allocation failure is the only throw left; keep it a value too.
    return absl::ResourceExhaustedError(std::string("query JSON: ") + e.what());
  }
}

}  // namespace tessera::query
