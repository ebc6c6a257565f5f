#include "query/filter_parser.h"

#include <string>

#include "base/user_error.h"
#include "query/filter_operator.h"
#include "query/js_number.h"
#include "query/member_path.h"

namespace tessera::query {
namespace {

std::string_view View(const boost::json::string& s) { return std::string_view(s.data(), s.size()); }

// Strings, numbers and booleans become text; null stays null (Cube's schema
// takes strings and null; numbers and booleans are accepted as the typed
// clients send them, and printed as JavaScript prints them).
bool ConvertValue(const boost::json::value& v, std::optional<std::string>& out) {
  switch (v.kind()) {
    case boost::json::kind::string: out = std::string(View(v.get_string())); return true;
    case boost::json::kind::null: out = std::nullopt; return true;
    case boost::json::kind::bool_: out = v.get_bool() ? "true" : "false"; return true;
    case boost::json::kind::int64: out = std::to_string(v.get_int64()); return true;
    case boost::json::kind::uint64: out = std::to_string(v.get_uint64()); return true;
    case boost::json::kind::double_: out = JsNumberToString(v.get_double()); return true;
    default: return false;  // arrays and objects
  }
}

std::optional<FilterNode> MatchLeaf(const boost::json::object& o) {
  const boost::json::value* member = nullptr;
  const boost::json::value* op = nullptr;
  const boost::json::value* values = nullptr;
  int member_keys = 0;
  for (const auto& [key, value] : o) {
    if (key == "member" || key == "dimension") {
      member = &value;
      ++member_keys;
    } else if (key == "operator") {
      op = &value;
    } else if (key == "values") {
      values = &value;
    } else {
      return std::nullopt;  // Joi: "<key>" is not allowed
    }
  }
  // Exactly one of member / dimension (the legacy name).
  if (member_keys != 1 || !member->is_string() || !IsMemberPath(View(member->get_string()))) {
    return std::nullopt;
  }
  if (op == nullptr || !op->is_string()) return std::nullopt;
  std::optional<FilterOperator> parsed_op = ParseFilterOperator(View(op->get_string()));
  if (!parsed_op) return std::nullopt;

  FilterNode node;
  node.kind = FilterNode::Kind::kLeaf;
  node.leaf.member = std::string(View(member->get_string()));
  node.leaf.op = *parsed_op;
  if (values != nullptr) {
    if (!values->is_array()) return std::nullopt;
    for (const auto& v : values->get_array()) {
      std::optional<std::string> text;
      if (!ConvertValue(v, text)) return std::nullopt;
      node.leaf.values.push_back(std::move(text));
    }
  }
  return node;
}

std::string FilterText(const boost::json::value& json) { return JsStringify(json); }

absl::Status ArityError(FilterOperator op, std::string_view expectation, size_t got,
                        const boost::json::value& json) {
  return UserError("Operator '" + std::string(FilterOperatorName(op)) + "' takes " +
                   std::string(expectation) + "; got " + std::to_string(got) +
                   " in filter: " + FilterText(json));
}

absl::Status CheckLeaf(const boost::json::object& o, const MemberFilter& leaf,
                       const boost::json::value& json, const absl::TimeZone& zone) {
  const ValueArity arity = ArityOf(leaf.op);
  const size_t n = leaf.values.size();
  if (!o.contains("values")) {
    if (arity == ValueArity::kNone) return absl::OkStatus();
    return UserError("Values required for filter: " + FilterText(json));
  }
  switch (arity) {
    case ValueArity::kNone:
      if (n != 0) return ArityError(leaf.op, "no values", n, json);
      break;
    case ValueArity::kOne:
      if (n != 1) return ArityError(leaf.op, "exactly one value", n, json);
      break;
    case ValueArity::kTwo:
      if (n != 2) return ArityError(leaf.op, "exactly two values", n, json);
      break;
    case ValueArity::kAtLeastOne:
      if (n == 0) {
        return UserError("Operator '" + std::string(FilterOperatorName(leaf.op)) +
                         "' needs at least one value in filter: " + FilterText(json));
      }
      break;
  }
  // Comparisons against null have no meaning in SQL; equals/notEquals may
  // carry a null (Cube turns it into IS NULL / IS NOT NULL).
  if (arity == ValueArity::kOne || arity == ValueArity::kTwo) {
    for (const auto& v : leaf.values) {
      if (!v) {
        return UserError("Operator '" + std::string(FilterOperatorName(leaf.op)) +
                         "' does not accept null values in filter: " + FilterText(json));
      }
    }
  }
  if (IsDateOperator(leaf.op)) {
    for (const auto& v : leaf.values) {
      if (!ParseLocalTime(*v, zone).ok()) {
        return UserError("Can't parse date: '" + *v + "' in filter: " + FilterText(json));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<FilterNode> MatchFilter(const boost::json::value& json) {
  const boost::json::object* o = json.if_object();
  if (o == nullptr) return std::nullopt;
  const boost::json::value* and_items = o->if_contains("and");
  const boost::json::value* or_items = o->if_contains("or");
  if (and_items == nullptr && or_items == nullptr) return MatchLeaf(*o);

  // A group: exactly one of and / or, and nothing else.
  if (o->size() != 1) return std::nullopt;
  const boost::json::value* items = and_items != nullptr ? and_items : or_items;
  if (!items->is_array()) return std::nullopt;
  FilterNode node;
  node.kind = and_items != nullptr ? FilterNode::Kind::kAnd : FilterNode::Kind::kOr;
  for (const auto& item : items->get_array()) {
    // Depth is bounded by the JSON parser's limit.
    std::optional<FilterNode> child = MatchFilter(item);
    if (!child) return std::nullopt;
    node.children.push_back(std::move(*child));
  }
  return node;
}

absl::Status CheckFilterValues(const boost::json::value& json, const FilterNode& node,
                               const absl::TimeZone& zone) {
  const boost::json::object& o = json.get_object();
  if (node.kind == FilterNode::Kind::kLeaf) return CheckLeaf(o, node.leaf, json, zone);
  const boost::json::array& items =
      (node.kind == FilterNode::Kind::kAnd ? o.at("and") : o.at("or")).get_array();
  for (size_t i = 0; i < node.children.size() && i < items.size(); ++i) {
    absl::Status status = CheckFilterValues(items[i], node.children[i], zone);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace tessera::query
