#include "query/order_parser.h"

#include <optional>
#include <string>

#include "query/joi_message.h"
#include "query/member_path.h"

namespace tessera::query {
namespace {

std::string_view View(const boost::json::string& s) { return std::string_view(s.data(), s.size()); }

std::optional<bool> ParseDirection(const boost::json::value& v) {
  if (!v.is_string()) return std::nullopt;
  if (v.get_string() == "asc") return false;
  if (v.get_string() == "desc") return true;
  return std::nullopt;
}

// Object form; on failure, the Joi detail for this alternative.
std::optional<std::string> ParseObjectForm(const boost::json::object& o, ParsedOrder& out) {
  std::string unknown;
  for (const auto& [key, value] : o) {
    std::string_view k(key.data(), key.size());
    if (!IsMemberPath(k)) {
      // Joi reports keys outside the pattern after checking the others.
      if (!unknown.empty()) unknown += ", ";
      unknown += joi::NotAllowed(k);
      continue;
    }
    std::optional<bool> desc = ParseDirection(value);
    if (!desc) return joi::Child(k, joi::MustBe(k, "one of [asc, desc]"));
    out.items.push_back(OrderItem{std::string(k), *desc});
  }
  if (!unknown.empty()) return unknown;
  return std::nullopt;
}

std::optional<std::string> ParseArrayForm(const boost::json::array& a, ParsedOrder& out) {
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string label = std::to_string(i);
    const boost::json::array* pair = a[i].if_array();
    if (pair == nullptr) return joi::AtPosition("order", i, joi::MustBe(label, "an array"));
    OrderItem item;
    for (size_t j = 0; j < pair->size(); ++j) {
      const std::string item_label = std::to_string(j);
      const boost::json::value& v = (*pair)[j];
      if (j >= 2) {
        // Joi words this one without brackets.
        return joi::AtPosition("order", i,
                               "\"" + label + "\" at position " + item_label +
                                   " fails because array must contain at most 2 items");
      }
      if (j == 0) {
        if (!v.is_string()) {
          return joi::AtPosition("order", i,
                                 joi::AtPosition(label, j, joi::MustBe(item_label, "a string")));
        }
        if (!IsMemberPath(View(v.get_string()))) {
          return joi::AtPosition(
              "order", i,
              joi::AtPosition(label, j,
                              joi::PatternMismatch(item_label, View(v.get_string()),
                                                   joi::kIdPattern)));
        }
        item.member = std::string(View(v.get_string()));
      } else {
        std::optional<bool> desc = ParseDirection(v);
        if (!desc) {
          return joi::AtPosition(
              "order", i,
              joi::AtPosition(label, j, joi::MustBe(item_label, "one of [asc, desc]")));
        }
        item.desc = *desc;
      }
    }
    if (pair->size() < 2) {
      return joi::AtPosition("order", i, joi::Must(label, "contain at least 2 items"));
    }
    out.items.push_back(std::move(item));
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<ParsedOrder> ParseOrder(const boost::json::value& json) {
  ParsedOrder out;
  std::string object_error = joi::MustBe("order", "an object");
  std::string array_error = joi::MustBe("order", "an array");
  if (const boost::json::object* o = json.if_object()) {
    out.as_object = true;
    std::optional<std::string> error = ParseObjectForm(*o, out);
    if (!error) return out;
    object_error = *error;
  } else if (const boost::json::array* a = json.if_array()) {
    std::optional<std::string> error = ParseArrayForm(*a, out);
    if (!error) return out;
    array_error = *error;
  }
  return joi::InvalidQueryFormat(joi::Child("order", object_error + ", " + array_error));
}

}  // namespace tessera::query
