#include "query/js_number.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <boost/json/serialize.hpp>

namespace tessera::query {

std::string JsNumberToString(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return "0";  // also -0, as JavaScript prints it

  std::string sign = value < 0 ? "-" : "";
  // The shortest round-tripping digits, in scientific form: "d.ddde[+-]x".
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  size_t e = sci.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  int exponent = std::atoi(sci.c_str() + e + 1);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // position of the decimal point, as in the spec

  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    std::string exp(n - 1 >= 0 ? "+" : "-");
    exp.append(std::to_string(std::abs(n - 1)));
    out = digits.substr(0, 1);
    if (k > 1) out.append(".").append(digits, 1, std::string::npos);
    out.append("e").append(exp);
  }
  return sign + out;
}

std::string JsStringify(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return JsNumberToString(value.get_double());
    case boost::json::kind::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        out += JsStringify(item);
      }
      return out + "]";
    }
    case boost::json::kind::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(key));
        out += ':';
        out += JsStringify(item);
      }
      return out + "}";
    }
    default:
      // Strings, integers, booleans and null print alike in both.
      return boost::json::serialize(value);
  }
}

}  // namespace tessera::query
