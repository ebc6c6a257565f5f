#include "query/member_path.h"

namespace tessera::query {
namespace {

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsIdent(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsIdentChar(c)) return false;
  }
  return true;
}

}  // namespace

bool IsMemberPath(std::string_view path) { return SplitMemberPath(path).has_value(); }

std::optional<MemberPathParts> SplitMemberPath(std::string_view path) {
  size_t dot = path.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view cube = path.substr(0, dot);
  std::string_view member = path.substr(dot + 1);
  if (!IsIdent(cube) || !IsIdent(member)) return std::nullopt;
  return MemberPathParts{cube, member};
}

std::optional<DimensionWithGranularity> SplitGranularitySuffix(std::string_view path) {
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view dimension = path.substr(0, dot);
  if (!IsMemberPath(dimension)) return std::nullopt;
  auto granularity = ParseGranularity(path.substr(dot + 1));
  if (!granularity.ok()) return std::nullopt;
  return DimensionWithGranularity{dimension, *granularity};
}

}  // namespace tessera::query
