#include "http/target_decoder.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/str_cat.h"

namespace tessera::http {
namespace {

namespace urls = boost::urls;

// Characters allowed unescaped in an origin-form target by RFC 3986
// (unreserved, sub-delims, ':', '@', '/', '?') plus '%' itself, which must
// keep introducing the escapes the client already made.
bool IsTargetChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':
    case '!': case '$': case '&': case '\'': case '(': case ')':
    case '*': case '+': case ',': case ';': case '=':
    case ':': case '@': case '/': case '?': case '%':
      return true;
    default:
      return false;
  }
}

// Escapes what a lenient client left raw, the way a browser would before
// sending, so Boost.URL can then apply its strict grammar.
std::string EscapeStrayCharacters(std::string_view target) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(target.size() + 16);
  for (unsigned char c : target) {
    if (IsTargetChar(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

absl::StatusOr<DecodedTarget> DecodeUrl(urls::url_view url) {
  DecodedTarget decoded;
  decoded.path = url.path();
  if (decoded.path.empty()) decoded.path.push_back('/');  // "http://host" means "/"
  if (decoded.path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("request path contains a NUL byte");
  }
  if (url.has_query()) {
    const urls::encoding_opts form_encoding(/*space_as_plus=*/true);
    for (auto param : url.params(form_encoding)) {
      decoded.query_params.insert_or_assign(std::move(param.key), std::move(param.value));
    }
  }
  return decoded;
}

}  // namespace

absl::StatusOr<DecodedTarget> DecodeTarget(std::string_view target) {
  if (target == "*") return DecodedTarget{"*", {}};
  if (target.empty()) return absl::InvalidArgumentError("empty request target");

  if (target.front() != '/') {
    auto absolute = urls::parse_absolute_uri(target);
    if (!absolute) {
      return absl::InvalidArgumentError(absl::StrCat("malformed request target: ", absolute.error().message()));
    }
    return DecodeUrl(*absolute);
  }

  auto origin = urls::parse_origin_form(target);
  if (origin) return DecodeUrl(*origin);

  // The escaped copy must outlive the url_view that points into it.
  const std::string escaped = EscapeStrayCharacters(target);
  auto retried = urls::parse_origin_form(escaped);
  if (!retried) {
    return absl::InvalidArgumentError(absl::StrCat("malformed request target: ", retried.error().message()));
  }
  return DecodeUrl(*retried);
}

}  // namespace tessera::http
