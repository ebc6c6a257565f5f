#include "model/template_parser.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tessera::model {

namespace {

bool IsContextRoot(absl::string_view s) {
  return s == "securityContext" || s == "SECURITY_CONTEXT";
}

void AppendText(std::vector<SqlPart>& parts, absl::string_view text) {
  if (text.empty()) return;
  if (!parts.empty() && parts.back().kind == SqlPart::Kind::kText) {
    parts.back().text.append(text.data(), text.size());
    return;
  }
  parts.push_back(SqlPart{SqlPart::Kind::kText, std::string(text), "", ""});
}

absl::StatusOr<SqlPart> ParseReference(absl::string_view inner, absl::string_view own_cube) {
  const absl::string_view ref = absl::StripAsciiWhitespace(inner);
  const std::string shown = absl::StrCat("{", ref, "}");
  if (ref == "CUBE" || ref == "TABLE") return SqlPart{SqlPart::Kind::kCubeAlias, "", "", ""};

  std::vector<absl::string_view> path = absl::StrSplit(ref, '.');
  if (IsContextRoot(path[0])) {
    // Cube's unsafeValue() splices a claim into the SQL text; Tessera never does.
    if (absl::StrContains(ref, "unsafeValue")) {
      return absl::InvalidArgumentError(absl::StrCat(
          shown, ": unsafeValue() is not supported; security context values are always "
                 "passed to the database as bound parameters, never as SQL text (write {",
          path[0], ".name})"));
    }
    if (path.size() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat(shown, ": name a value inside the security context, e.g. {", path[0],
                       ".tenant_id}"));
    }
    for (size_t i = 1; i < path.size(); ++i) {
      if (!IsIdentifier(path[i])) {
        return absl::InvalidArgumentError(
            absl::StrCat(shown, ": invalid security context path"));
      }
    }
    path.erase(path.begin());
    return SqlPart{SqlPart::Kind::kContextValue, absl::StrJoin(path, "."), "", ""};
  }

  bool valid = path.size() <= 2;
  for (absl::string_view segment : path) valid = valid && IsIdentifier(segment);
  if (!valid) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid reference ", shown,
        ": expected {CUBE}, {member}, {Cube.member} or {securityContext.path}"));
  }
  if (path.size() == 1) {
    return SqlPart{SqlPart::Kind::kMember, "", std::string(own_cube), std::string(path[0])};
  }
  const bool same_cube = path[0] == "CUBE" || path[0] == "TABLE";
  return SqlPart{SqlPart::Kind::kMember, "", std::string(same_cube ? own_cube : path[0]),
                 std::string(path[1])};
}

}  // namespace

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || absl::ascii_isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool IsBareColumn(absl::string_view sql) { return IsIdentifier(sql); }

SqlTemplate BareColumnTemplate(absl::string_view column) {
  SqlTemplate t;
  t.source = std::string(column);
  t.parts.push_back(SqlPart{SqlPart::Kind::kCubeAlias, "", "", ""});
  t.parts.push_back(SqlPart{SqlPart::Kind::kText, absl::StrCat(".", column), "", ""});
  return t;
}

absl::StatusOr<SqlTemplate> ParseSqlTemplate(absl::string_view source, absl::string_view own_cube) {
  SqlTemplate t;
  t.source = std::string(source);
  size_t pos = 0;
  while (pos < source.size()) {
    const size_t open = source.find('{', pos);
    if (open == absl::string_view::npos) {
      AppendText(t.parts, source.substr(pos));
      break;
    }
    AppendText(t.parts, source.substr(pos, open - pos));
    if (open + 1 < source.size() && source[open + 1] == '{') {
      AppendText(t.parts, "{");
      pos = open + 2;
      continue;
    }
    const size_t close = source.find('}', open + 1);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("unterminated '{' at offset ", open, " (write '{{' for a literal '{')"));
    }
    absl::StatusOr<SqlPart> part = ParseReference(source.substr(open + 1, close - open - 1),
                                                  own_cube);
    if (!part.ok()) return part.status();
    t.parts.push_back(*std::move(part));
    pos = close + 1;
  }
  return t;
}

}  // namespace tessera::model
