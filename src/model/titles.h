#pragma once
// Default titles, computed exactly as Cube 0.27.53's /meta does, so clients
// that show titles see the same text after switching to Tessera.
#include <string>
#include "absl/strings/string_view.h"

namespace tessera::model {

// Cube's CubeToMetaTransformer.titleize: inflection.titleize(inflection.
// underscore(camelcase(name, {pascalCase: true}))). Words split at camelCase
// humps, underscores and digit-letter boundaries; each word capitalised except
// small words such as "at", "of", "in" after the first:
// "createdAt" -> "Created at", "line_items" -> "Line Items".
std::string Titleize(absl::string_view name);

// "<cube title> <member title>", the default member title, where the member
// title is the given `title:` or Titleize(name).
std::string MemberTitle(absl::string_view cube_title, absl::string_view member_short_title);

}  // namespace tessera::model
