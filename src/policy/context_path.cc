#include "policy/context_path.h"

#include "absl/strings/str_cat.h"
#include <boost/json.hpp>

namespace tessera::policy {

namespace json = boost::json;

const json::value* FindContextValue(const json::value& context, std::string_view path) {
  const json::value* v = &context;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    std::string_view key = path.substr(start, dot - start);
    const json::object* obj = v->if_object();
    if (obj == nullptr) return nullptr;
    auto it = obj->find(json::string_view(key.data(), key.size()));
    if (it == obj->end()) return nullptr;
    v = &it->value();
    start = dot + 1;
  }
  return v;
}

std::set<std::string> RolesOf(const json::value& context, std::string_view path) {
  std::set<std::string> roles;
  if (const json::value* r = FindContextValue(context, path)) {
    if (r->is_string()) {
      roles.insert(std::string(r->get_string()));
    } else if (const json::array* a = r->if_array()) {
      for (const json::value& item : *a) {
        if (item.is_string()) roles.insert(std::string(item.get_string()));
      }
    }
  }
  return roles;
}

bool IsTruthy(const json::value* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_int64()) return v->get_int64() != 0;
  if (v->is_uint64()) return v->get_uint64() != 0;
  if (v->is_double()) return v->get_double() != 0.0;
  if (v->is_string()) return !v->get_string().empty();
  if (v->is_array()) return !v->get_array().empty();
  return !v->get_object().empty();
}

namespace {
std::optional<std::string> ScalarText(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return json::serialize(v);
  if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
  return std::nullopt;
}
}  // namespace

absl::StatusOr<std::vector<std::string>> ContextValues(const json::value& context, std::string_view path) {
  const json::value* v = FindContextValue(context, path);
  std::string p(path);
  if (v == nullptr || v->is_null()) {
    return absl::PermissionDeniedError(absl::StrCat("Security context is missing '", p, "'"));
  }
  std::vector<std::string> out;
  if (const json::array* a = v->if_array()) {
    for (const json::value& item : *a) {
      std::optional<std::string> text = ScalarText(item);
      if (!text) return absl::PermissionDeniedError(absl::StrCat("Security context '", p, "' holds a non-scalar value"));
      out.push_back(*std::move(text));
    }
    // An empty list would make "equals" match nothing or, worse, be dropped:
    // refuse the request instead.
    if (out.empty()) return absl::PermissionDeniedError(absl::StrCat("Security context '", p, "' is empty"));
    return out;
  }
  std::optional<std::string> text = ScalarText(*v);
  if (!text) return absl::PermissionDeniedError(absl::StrCat("Security context '", p, "' is not a value"));
  out.push_back(*std::move(text));
  return out;
}

}  // namespace tessera::policy
