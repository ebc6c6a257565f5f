#include "sql/filter_renderer.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "base/status_macros.h"
#include "base/user_error.h"

namespace tessera::sql {

using query::FilterOperator;

namespace {

// Values for LIKE patterns match literally: escape the wildcards (and the
// escape character itself), as Cube does for contains.
std::string EscapeLike(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> FilterRenderer::ValueParam(const std::string& value,
                                                       FilterTarget::Type type,
                                                       const std::string& member) {
  switch (type) {
    case FilterTarget::Type::kNumber: {
      int64_t i;
      double d;
      if (absl::SimpleAtoi(value, &i)) return params_.Add(Param::Type::kInteger, std::to_string(i));
      if (absl::SimpleAtod(value, &d) && std::isfinite(d)) return params_.Add(Param::Type::kReal, value);
      return UserError(absl::StrCat("Invalid value '", value, "' for ", member, ": a number is expected"));
    }
    case FilterTarget::Type::kBoolean: {
      std::string v = absl::AsciiStrToLower(value);
      if (v == "true" || v == "1") return params_.Add(Param::Type::kInteger, "1");
      if (v == "false" || v == "0") return params_.Add(Param::Type::kInteger, "0");
      return UserError(absl::StrCat("Invalid value '", value, "' for ", member, ": true or false is expected"));
    }
    case FilterTarget::Type::kTime: {
      TESSERA_ASSIGN_OR_RETURN(LocalTime t, DateValue(value, false));
      return TimestampParam(t, true);
    }
    case FilterTarget::Type::kString:
      return params_.AddText(value);
  }
  return params_.AddText(value);
}

std::string FilterRenderer::TimestampParam(const LocalTime& local, bool lower_bound) {
  absl::TimeZone::TimeInfo info = zone_.At(local.civil);
  absl::Time instant = info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
  absl::CivilSecond utc = absl::ToCivilSecond(instant, absl::UTCTimeZone());
  std::string ph =
      params_.Add(Param::Type::kTimestamp, dialect_.TimestampValue(utc, local.millis, lower_bound));
  return dialect_.TimestampParam(ph);
}

absl::StatusOr<LocalTime> FilterRenderer::DateValue(const std::string& value, bool end_of_day) {
  absl::StatusOr<LocalTime> t = ParseLocalTime(value, zone_);
  if (!t.ok()) return UserError(std::string(t.status().message()));
  // A bare date as an upper bound means the whole day, as in Cube.
  if (end_of_day && IsBareDate(value)) {
    t->civil = absl::CivilSecond(t->civil.year(), t->civil.month(), t->civil.day(), 23, 59, 59);
    t->millis = 999;
  }
  return t;
}

std::string FilterRenderer::DateRange(const std::string& expr, const LocalTime& from,
                                      const LocalTime& to) {
  std::string a = TimestampParam(from, true);
  std::string b = TimestampParam(to, false);
  return absl::StrCat(expr, " >= ", a, " AND ", expr, " <= ", b);
}

absl::StatusOr<std::string> FilterRenderer::Render(const query::MemberFilter& f,
                                                   const FilterTarget& target) {
  const std::string& col = target.sql;
  std::vector<std::string> values;
  bool has_null = false;
  for (const auto& v : f.values) {
    if (v) values.push_back(*v); else has_null = true;
  }
  auto or_null = [&](bool negated) {
    // Negated operators keep NULL rows unless null is one of the values;
    // plain ones match NULL only when null is listed.
    bool add = negated ? !has_null : has_null;
    return add ? absl::StrCat(" OR ", col, " IS NULL") : std::string();
  };
  auto need_values = [&]() -> absl::Status {
    if (values.empty()) {
      return UserError(absl::StrCat("Filter for ", f.member, " with operator ",
                                    std::string(query::FilterOperatorName(f.op)), " requires values"));
    }
    return absl::OkStatus();
  };

  switch (f.op) {
    case FilterOperator::kEquals:
    case FilterOperator::kNotEquals:
    case FilterOperator::kIn:
    case FilterOperator::kNotIn: {
      bool neg = f.op == FilterOperator::kNotEquals || f.op == FilterOperator::kNotIn;
      if (values.empty()) {
        if (!has_null) TESSERA_RETURN_IF_ERROR(need_values());
        return absl::StrCat(col, neg ? " IS NOT NULL" : " IS NULL");
      }
      std::vector<std::string> phs;
      for (const auto& v : values) {
        TESSERA_ASSIGN_OR_RETURN(std::string ph, ValueParam(v, target.type, f.member));
        phs.push_back(ph);
      }
      if (phs.size() == 1) return absl::StrCat(col, neg ? " <> " : " = ", phs[0], or_null(neg));
      return absl::StrCat(col, neg ? " NOT IN (" : " IN (", absl::StrJoin(phs, ", "), ")", or_null(neg));
    }
    case FilterOperator::kContains:
    case FilterOperator::kNotContains:
    case FilterOperator::kStartsWith:
    case FilterOperator::kNotStartsWith:
    case FilterOperator::kEndsWith:
    case FilterOperator::kNotEndsWith: {
      TESSERA_RETURN_IF_ERROR(need_values());
      bool neg = f.op == FilterOperator::kNotContains || f.op == FilterOperator::kNotStartsWith ||
                 f.op == FilterOperator::kNotEndsWith;
      bool prefix = f.op != FilterOperator::kStartsWith && f.op != FilterOperator::kNotStartsWith;
      bool suffix = f.op != FilterOperator::kEndsWith && f.op != FilterOperator::kNotEndsWith;
      std::vector<std::string> parts;
      for (const auto& v : values) {
        std::string ph = params_.AddText(EscapeLike(v));
        std::string match = dialect_.ContainsMatch(col, ph, prefix, suffix);
        parts.push_back(neg ? absl::StrCat("NOT (", match, ")") : match);
      }
      return absl::StrCat("(", absl::StrJoin(parts, neg ? " AND " : " OR "), ")", or_null(neg));
    }
    case FilterOperator::kGt:
    case FilterOperator::kGte:
    case FilterOperator::kLt:
    case FilterOperator::kLte: {
      TESSERA_RETURN_IF_ERROR(need_values());
      const char* op = f.op == FilterOperator::kGt ? " > " : f.op == FilterOperator::kGte ? " >= "
                       : f.op == FilterOperator::kLt ? " < " : " <= ";
      TESSERA_ASSIGN_OR_RETURN(std::string ph, ValueParam(values[0], target.type, f.member));
      return absl::StrCat(col, op, ph);
    }
    case FilterOperator::kSet:
      return absl::StrCat(col, " IS NOT NULL");
    case FilterOperator::kNotSet:
      return absl::StrCat(col, " IS NULL");
    case FilterOperator::kOnTheDate:
      // One date means that whole day (Cube 0.27 ran it up to today, a bug).
      if (values.size() == 1) values.push_back(values[0]);
      [[fallthrough]];
    case FilterOperator::kInDateRange:
    case FilterOperator::kNotInDateRange: {
      if (values.size() != 2) {
        return UserError(absl::StrCat("Filter for ", f.member, " with operator ",
                                      std::string(query::FilterOperatorName(f.op)), " requires two dates"));
      }
      TESSERA_ASSIGN_OR_RETURN(LocalTime from, DateValue(values[0], false));
      TESSERA_ASSIGN_OR_RETURN(LocalTime to, DateValue(values[1], true));
      if (f.op != FilterOperator::kNotInDateRange) return DateRange(col, from, to);
      std::string a = TimestampParam(from, true);
      std::string b = TimestampParam(to, false);
      return absl::StrCat(col, " < ", a, " OR ", col, " > ", b);
    }
    case FilterOperator::kBeforeDate:
    case FilterOperator::kBeforeOrOnDate:
    case FilterOperator::kAfterDate:
    case FilterOperator::kAfterOrOnDate: {
      TESSERA_RETURN_IF_ERROR(need_values());
      // Cube compares against the start of the given date for all four.
      TESSERA_ASSIGN_OR_RETURN(LocalTime t, DateValue(values[0], false));
      std::string ph = TimestampParam(t, true);
      const char* op = f.op == FilterOperator::kBeforeDate       ? " < "
                       : f.op == FilterOperator::kBeforeOrOnDate ? " <= "
                       : f.op == FilterOperator::kAfterDate      ? " > "
                                                                 : " >= ";
      return absl::StrCat(col, op, ph);
    }
    case FilterOperator::kMeasureFilter:
      return absl::InternalError("measureFilter is rendered by the query compiler");
  }
  return absl::InternalError("unknown filter operator");
}

}  // namespace tessera::sql
