#include "model/cube_scope.h"

#include "absl/strings/str_cat.h"
#include "model/template_parser.h"
#include "model/titles.h"

namespace tessera::model {

std::string CubeScope::Label(absl::string_view member) const {
  if (member.empty()) return cube_name;
  return absl::StrCat(cube_name, ".", member);
}

std::optional<SqlTemplate> ReadSqlField(const Fields& fields, const SqlFieldSpec& spec,
                                        CubeScope& scope) {
  const std::string label = scope.Label(spec.owner_member);
  std::optional<std::string> source = StringField(fields, spec.key, scope.sink, label);
  if (!source) return std::nullopt;
  const YAML::Node& at = FindField(fields, spec.key)->value;
  if (source->empty()) {
    scope.sink.Add(at, label, absl::StrCat("'", spec.key, "' is empty"));
    return std::nullopt;
  }
  SqlTemplate t;
  if (spec.prefix_bare_column && IsBareColumn(*source)) {
    t = BareColumnTemplate(*source);
  } else {
    absl::StatusOr<SqlTemplate> parsed = ParseSqlTemplate(*source, scope.cube_name);
    if (!parsed.ok()) {
      scope.sink.Add(at, label, std::string(parsed.status().message()));
      return std::nullopt;
    }
    t = *std::move(parsed);
  }
  scope.uses.push_back(TemplateUse{scope.sink.Locate(at), scope.cube_name,
                                   std::string(spec.owner_member), spec.role, spec.measure_type,
                                   MemberRefsOf(t)});
  return t;
}

std::optional<std::string> PeekName(const YAML::Node& node) {
  if (!node.IsMap()) return std::nullopt;
  for (const auto& kv : node) {
    if (kv.first.IsScalar() && kv.first.Scalar() == "name" && kv.second.IsScalar() &&
        IsIdentifier(kv.second.Scalar())) {
      return kv.second.Scalar();
    }
  }
  return std::nullopt;
}

std::optional<std::string> ReadName(const YAML::Node& node, const Fields& fields,
                                    absl::string_view kind, ErrorSink& sink,
                                    absl::string_view label) {
  const Field* f = FindField(fields, "name");
  if (f == nullptr) {
    sink.Add(node, std::string(label), absl::StrCat(kind, " has no 'name'"));
    return std::nullopt;
  }
  if (!f->value.IsScalar() || !IsIdentifier(f->value.Scalar())) {
    const std::string shown = f->value.IsScalar() ? f->value.Scalar() : "";
    sink.Add(f->value.IsNull() ? f->key : f->value, std::string(label),
             absl::StrCat("invalid ", kind, " name '", shown,
                          "': names must match [a-zA-Z_][a-zA-Z0-9_]*"));
    return std::nullopt;
  }
  return f->value.Scalar();
}

void AssignTitles(const Fields& fields, absl::string_view name, CubeScope& scope,
                  std::string* title, std::string* short_title) {
  std::optional<std::string> given = StringField(fields, "title", scope.sink, scope.Label(name));
  *short_title = given ? *given : Titleize(name);
  *title = MemberTitle(scope.cube_title, *short_title);
}

}  // namespace tessera::model
