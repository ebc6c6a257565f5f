#include "model/yaml_fields.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/meta_json.h"

namespace tessera::model {

namespace {

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool Contains(std::span<const absl::string_view> keys, absl::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string UnknownKeyMessage(absl::string_view written, absl::string_view snake,
                              std::span<const absl::string_view> allowed) {
  std::string message = absl::StrCat("unknown key '", written, "'");
  absl::string_view best;
  size_t best_distance = 3;  // suggest only near misses
  // Bound the work: keys from hostile input can be long.
  if (snake.size() < 64) {
    for (absl::string_view candidate : allowed) {
      const size_t d = EditDistance(snake, candidate);
      if (d < best_distance) {
        best = candidate;
        best_distance = d;
      }
    }
  }
  if (!best.empty()) absl::StrAppend(&message, " (did you mean '", best, "'?)");
  return message;
}

}  // namespace

std::string SnakeCaseKey(absl::string_view key) {
  std::string out;
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

Fields ReadFields(const YAML::Node& map, std::span<const absl::string_view> allowed,
                  std::span<const absl::string_view> ignored, ErrorSink& sink,
                  absl::string_view member) {
  Fields fields;
  for (const auto& kv : map) {
    const YAML::Node& key = kv.first;
    if (!key.IsScalar()) {
      sink.Add(key, std::string(member), "keys must be plain names");
      continue;
    }
    const std::string& written = key.Scalar();
    std::string snake = SnakeCaseKey(written);
    if (Contains(ignored, snake)) continue;
    if (!Contains(allowed, snake)) {
      sink.Add(key, std::string(member), UnknownKeyMessage(written, snake, allowed));
      continue;
    }
    if (fields.count(snake) != 0) {
      sink.Add(key, std::string(member), absl::StrCat("duplicate key '", written, "'"));
      continue;
    }
    fields.emplace(std::move(snake), Field{key, kv.second});
  }
  return fields;
}

const Field* FindField(const Fields& fields, absl::string_view key) {
  auto it = fields.find(key);
  return it == fields.end() ? nullptr : &it->second;
}

std::optional<std::string> StringField(const Fields& fields, absl::string_view key,
                                       ErrorSink& sink, absl::string_view member) {
  const Field* f = FindField(fields, key);
  if (f == nullptr) return std::nullopt;
  if (!f->value.IsScalar()) {
    sink.Add(f->value.IsNull() ? f->key : f->value, std::string(member),
             absl::StrCat("'", f->key.Scalar(), "' must be a string"));
    return std::nullopt;
  }
  return f->value.Scalar();
}

std::optional<bool> BoolField(const Fields& fields, absl::string_view key, ErrorSink& sink,
                              absl::string_view member) {
  const Field* f = FindField(fields, key);
  if (f == nullptr) return std::nullopt;
  if (f->value.IsScalar()) {
    const std::string& v = f->value.Scalar();
    if (v == "true" || v == "True" || v == "TRUE") return true;
    if (v == "false" || v == "False" || v == "FALSE") return false;
  }
  sink.Add(f->value.IsNull() ? f->key : f->value, std::string(member),
           absl::StrCat("'", f->key.Scalar(), "' must be true or false"));
  return std::nullopt;
}

bool VisibilityField(const Fields& fields, bool fallback, ErrorSink& sink,
                     absl::string_view member) {
  std::optional<bool> result;
  for (absl::string_view key : {"shown", "visible", "public"}) {
    if (std::optional<bool> v = BoolField(fields, key, sink, member)) result = v;
  }
  return result.value_or(fallback);
}

std::string MetaField(const Fields& fields, ErrorSink& sink, absl::string_view member) {
  const Field* f = FindField(fields, "meta");
  if (f == nullptr) return "";
  absl::StatusOr<std::string> json = MetaToJson(f->value);
  if (!json.ok()) {
    sink.Add(f->value, std::string(member), std::string(json.status().message()));
    return "";
  }
  return *std::move(json);
}

}  // namespace tessera::model
