#include "scaffold/scaffold_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace tessera::scaffold {
namespace {

std::string Lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lower-case alphanumeric words: "timestamp with time zone" -> {timestamp,
// with, time, zone}; "numeric(10,2)" -> {numeric, 10, 2}.
std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : Lowered(text)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += c;
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

template <size_t N>
bool AnyTokenIn(const std::vector<std::string>& tokens, const std::array<std::string_view, N>& set) {
  return std::any_of(tokens.begin(), tokens.end(), [&](const std::string& t) {
    return std::find(set.begin(), set.end(), t) != set.end();
  });
}

constexpr std::array<std::string_view, 2> kBooleanWords = {"bool", "boolean"};
constexpr std::array<std::string_view, 6> kTimeWords = {"timestamp", "timestamptz", "date",
                                                        "datetime",  "time",        "timetz"};
constexpr std::array<std::string_view, 22> kNumberWords = {
    "int",      "integer",  "int2",    "int4",       "int8",        "bigint",
    "smallint", "tinyint",  "mediumint", "serial",   "bigserial",   "smallserial",
    "numeric",  "decimal",  "dec",     "real",       "double",      "float",
    "float4",   "float8",   "number",  "money"};

constexpr std::array<std::string_view, 11> kMeasureSuffixes = {
    "amount", "price", "count", "balance", "total", "number",
    "cost",   "qty",   "quantity", "duration", "value"};

constexpr std::array<std::string_view, 7> kDrillWords = {"id",   "name",    "title", "firstname",
                                                         "lastname", "city", "country"};
constexpr std::array<std::string_view, 3> kDrillNames = {"created_at", "createdat", "created"};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

ColumnKind ClassifySqlType(std::string_view sql_type) {
  const std::vector<std::string> tokens = Tokens(sql_type);
  if (AnyTokenIn(tokens, kBooleanWords)) return ColumnKind::kBoolean;
  if (AnyTokenIn(tokens, kTimeWords)) return ColumnKind::kTime;
  if (AnyTokenIn(tokens, kNumberWords)) return ColumnKind::kNumber;
  return ColumnKind::kString;
}

std::string_view ColumnKindName(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kString: return "string";
    case ColumnKind::kNumber: return "number";
    case ColumnKind::kTime: return "time";
    case ColumnKind::kBoolean: return "boolean";
  }
  return "string";
}

bool LooksLikeMeasureColumn(std::string_view column_name) {
  const std::string name = Lowered(column_name);
  if (EndsWith(name, "id")) return false;
  return std::any_of(kMeasureSuffixes.begin(), kMeasureSuffixes.end(),
                     [&](std::string_view suffix) { return EndsWith(name, suffix); });
}

bool LooksLikeDrillColumn(std::string_view column_name) {
  const std::string name = Lowered(column_name);
  if (std::find(kDrillNames.begin(), kDrillNames.end(), name) != kDrillNames.end()) return true;
  return AnyTokenIn(Tokens(name), kDrillWords);
}

}  // namespace tessera::scaffold
