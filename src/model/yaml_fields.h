#pragma once
// Reading the keys of one YAML mapping of the model: every key must be known
// (a typo such as `sqll:` is an error, not a silently missing setting), keys
// may be written in snake_case or camelCase as Cube allows, and values are
// checked for the expected shape before use.
#include <map>
#include <optional>
#include <span>
#include <string>
#include "absl/strings/string_view.h"

#include "model/error_sink.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

struct Field {
  YAML::Node key;
  YAML::Node value;
};

// Keys by their snake_case spelling.
using Fields = std::map<std::string, Field, std::less<>>;

// "primaryKey" -> "primary_key"; snake_case keys are unchanged.
std::string SnakeCaseKey(absl::string_view key);

// Reads the keys of `map` (which must be a mapping; the caller checks).
// Reports unknown keys (with a suggestion), duplicate keys, and
// `access_policy`, which is refused rather than ignored because ignoring a
// security rule would expose data. `ignored` keys are accepted and dropped.
Fields ReadFields(const YAML::Node& map, std::span<const absl::string_view> allowed,
                  std::span<const absl::string_view> ignored, ErrorSink& sink,
                  absl::string_view member);

const Field* FindField(const Fields& fields, absl::string_view key);

// The scalar text of `key`, nullopt if absent; reports a non-scalar value.
std::optional<std::string> StringField(const Fields& fields, absl::string_view key,
                                       ErrorSink& sink, absl::string_view member);

// `true` / `false` (YAML 1.2 core spellings); reports anything else.
std::optional<bool> BoolField(const Fields& fields, absl::string_view key, ErrorSink& sink,
                              absl::string_view member);

// Visibility: `public`, or Cube's older `visible` and `shown`, in that order
// of precedence; `fallback` when none is given.
bool VisibilityField(const Fields& fields, bool fallback, ErrorSink& sink,
                     absl::string_view member);

// The `meta:` value as JSON text ("" when absent); reports values that have
// no JSON form.
std::string MetaField(const Fields& fields, ErrorSink& sink, absl::string_view member);

}  // namespace tessera::model
