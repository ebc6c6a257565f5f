#include "api/result_json.h"

#include "model/member_types.h"

#include <map>
#include <set>

#include <boost/json.hpp>

namespace tessera::api {

using model::DimensionType;
using model::DimensionTypeName;
using model::MeasureType;
namespace json = boost::json;

namespace {

std::string_view AggType(MeasureType t) {
  switch (t) {
    case MeasureType::kCount: return "count";
    case MeasureType::kCountDistinct: return "countDistinct";
    case MeasureType::kCountDistinctApprox: return "countDistinctApprox";
    case MeasureType::kSum: return "sum";
    case MeasureType::kAvg: return "avg";
    case MeasureType::kMin: return "min";
    case MeasureType::kMax: return "max";
    case MeasureType::kNumber: return "number";
    case MeasureType::kString: return "string";
    case MeasureType::kTime: return "time";
    case MeasureType::kBoolean: return "boolean";
  }
  return "number";
}

std::string_view MeasureValueType(MeasureType t) {
  switch (t) {
    case MeasureType::kString: return "string";
    case MeasureType::kTime: return "time";
    case MeasureType::kBoolean: return "boolean";
    default: return "number";
  }
}

json::string_view J(std::string_view s) { return json::string_view(s.data(), s.size()); }

json::object DrillMembersGrouped(const model::Measure& m, const model::CompiledModel& model) {
  json::array measures, dimensions;
  for (const auto& path : m.drill_members) {
    size_t dot = path.find('.');
    const model::Cube* c = dot == std::string::npos ? nullptr : model.FindCube(path.substr(0, dot));
    if (c != nullptr && c->FindMeasure(path.substr(dot + 1))) {
      measures.emplace_back(J(path));
    } else {
      dimensions.emplace_back(J(path));
    }
  }
  return json::object{{"measures", std::move(measures)}, {"dimensions", std::move(dimensions)}};
}

json::array DrillMembers(const model::Measure& m) {
  json::array a;
  for (const auto& p : m.drill_members) a.emplace_back(J(p));
  return a;
}

void AddMeta(json::object& o, const std::string& meta) {
  if (meta.empty()) return;
  boost::system::error_code ec;
  json::value v = json::parse(meta, ec);
  if (!ec) o["meta"] = std::move(v);
}

json::object MeasureAnnotation(const model::Measure& m, const model::CompiledModel& model) {
  json::object o;
  o["title"] = J(m.title);
  o["shortTitle"] = J(m.short_title);
  if (!m.description.empty()) o["description"] = J(m.description);
  o["type"] = J(MeasureValueType(m.type));
  if (!m.format.empty()) o["format"] = J(m.format);
  AddMeta(o, m.meta);
  o["drillMembers"] = DrillMembers(m);
  o["drillMembersGrouped"] = DrillMembersGrouped(m, model);
  return o;
}

json::object DimensionAnnotation(const model::Dimension& d) {
  json::object o;
  o["title"] = J(d.title);
  o["shortTitle"] = J(d.short_title);
  if (!d.description.empty()) o["description"] = J(d.description);
  o["type"] = J(DimensionTypeName(d.type));
  if (!d.format.empty()) o["format"] = J(d.format);
  AddMeta(o, d.meta);
  return o;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += json::serialize(json::string_view(s.data(), s.size()));
}

// "2024-01-01 10:00..." or "2024-01-01T10:00...".
bool LooksLikeTimestamp(std::string_view s) {
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  return s.size() >= 16 && digit(0) && digit(3) && s[4] == '-' && s[7] == '-' &&
         (s[10] == ' ' || s[10] == 'T') && s[13] == ':';
}

// How a column's cells are written: Cube returns numbers as strings (to keep
// precision), times as local ISO text, booleans as JSON booleans.
enum class CellFormat { kString, kTime, kBoolean, kMaybeTime };

CellFormat FormatOf(const sql::OutputColumn& c) {
  if (c.kind == sql::OutputColumn::Kind::kTimeDimension) return CellFormat::kTime;
  if (c.dimension) {
    if (c.dimension->type == DimensionType::kTime) return CellFormat::kTime;
    if (c.dimension->type == DimensionType::kBoolean) return CellFormat::kBoolean;
  }
  if (c.measure) {
    if (c.measure->type == MeasureType::kTime) return CellFormat::kTime;
    if (c.measure->type == MeasureType::kBoolean) return CellFormat::kBoolean;
    // min/max over a time column yield timestamps, which Cube formats.
    if (c.measure->type == MeasureType::kMin || c.measure->type == MeasureType::kMax) {
      return CellFormat::kMaybeTime;
    }
  }
  return CellFormat::kString;
}

}  // namespace

std::string FormatTimestamp(std::string_view t) {
  // Accepts "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.f+]]" with ' ' or 'T', and
  // an optional zone suffix that PostgreSQL adds for timestamptz (dropped:
  // the driver pins sessions to UTC).
  if (t.size() < 10) return std::string(t);
  std::string out(t.substr(0, 10));
  std::string hh = "00", mm = "00", ss = "00", ms = "000";
  if (t.size() >= 16 && (t[10] == ' ' || t[10] == 'T')) {
    hh = std::string(t.substr(11, 2));
    mm = std::string(t.substr(14, 2));
    if (t.size() >= 19 && t[16] == ':') {
      ss = std::string(t.substr(17, 2));
      if (t.size() > 20 && t[19] == '.') {
        size_t i = 20;
        std::string frac;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') frac.push_back(t[i++]);
        frac.resize(3, '0');
        ms = frac.substr(0, 3);
      }
    }
  }
  out += 'T';
  out += hh; out += ':'; out += mm; out += ':'; out += ss; out += '.'; out += ms;
  return out;
}

std::string DataJson(const sql::CompiledQuery& compiled, const driver::ResultSet& rows,
                     const std::string& blending_key, const std::string& compare_label) {
  std::string compare_member;
  if (!compare_label.empty()) {
    compare_member = ",\"compareDateRange\":" + json::serialize(J(compare_label));
  }
  std::vector<std::vector<std::string>> keys;
  std::vector<CellFormat> formats;
  bool blended = blending_key.empty();
  for (const auto& c : compiled.columns) {
    std::vector<std::string> k;
    for (const auto& key : c.RowKeys()) k.push_back(json::serialize(J(key)));
    if (!blended && c.kind == sql::OutputColumn::Kind::kTimeDimension) {
      k.push_back(json::serialize(J(blending_key)));
      blended = true;
    }
    keys.push_back(std::move(k));
    formats.push_back(FormatOf(c));
  }
  std::string out = "[";
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    if (r) out += ',';
    out += '{';
    bool first = true;
    const auto& row = rows.rows[r];
    for (size_t i = 0; i < compiled.columns.size() && i < row.size(); ++i) {
      std::string value;
      const driver::Cell& cell = row[i];
      if (!cell) {
        value = "null";
      } else {
        switch (formats[i]) {
          case CellFormat::kTime:
            AppendJsonString(value, FormatTimestamp(*cell));
            break;
          case CellFormat::kBoolean: {
            const std::string& v = *cell;
            bool truthy = v == "t" || v == "true" || v == "1" || v == "TRUE";
            value = truthy ? "true" : "false";
            break;
          }
          case CellFormat::kString:
            AppendJsonString(value, *cell);
            break;
          case CellFormat::kMaybeTime:
            AppendJsonString(value, LooksLikeTimestamp(*cell) ? FormatTimestamp(*cell) : *cell);
            break;
        }
      }
      for (const auto& k : keys[i]) {
        if (!first) out += ',';
        first = false;
        out += k;
        out += ':';
        out += value;
      }
    }
    out += compare_member;
    out += '}';
  }
  out += ']';
  return out;
}

json::object Annotation(const sql::CompiledQuery& compiled, const query::Query& q,
                        const model::CompiledModel& model) {
  json::object measures, dimensions, segments, time_dimensions;
  for (const auto& c : compiled.columns) {
    if (c.kind == sql::OutputColumn::Kind::kMeasure) {
      measures[J(c.member)] = MeasureAnnotation(*c.measure, model);
    } else if (c.kind == sql::OutputColumn::Kind::kDimension) {
      dimensions[J(c.member)] = DimensionAnnotation(*c.dimension);
    } else {
      for (const auto& key : c.RowKeys()) time_dimensions[J(key)] = DimensionAnnotation(*c.dimension);
    }
  }
  for (const auto& path : q.segments) {
    size_t dot = path.find('.');
    const model::Cube* cube = model.FindCube(path.substr(0, dot));
    const model::Segment* s = cube ? cube->FindSegment(path.substr(dot + 1)) : nullptr;
    if (!s) continue;
    json::object o{{"title", J(s->title)}, {"shortTitle", J(s->short_title)}};
    if (!s->description.empty()) o["description"] = J(s->description);
    segments[J(path)] = std::move(o);
  }
  return json::object{{"measures", std::move(measures)},
                      {"dimensions", std::move(dimensions)},
                      {"segments", std::move(segments)},
                      {"timeDimensions", std::move(time_dimensions)}};
}

json::object MetaJson(const model::CompiledModel& model) {
  // connectedComponent: cubes linked by joins (in either direction) share a number.
  std::map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> find = [&](const std::string& x) {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    return it->second = find(it->second);
  };
  for (const auto& c : model.cubes()) parent.emplace(c.name, c.name);
  for (const auto& c : model.cubes()) {
    for (const auto& j : c.joins) {
      if (parent.count(j.target)) parent[find(c.name)] = find(j.target);
    }
  }
  std::map<std::string, int> component_ids;
  json::array cubes;
  for (const auto& c : model.cubes()) {
    if (!c.is_public) continue;
    json::object cube;
    cube["name"] = J(c.name);
    cube["title"] = J(c.title);
    if (!c.description.empty()) cube["description"] = J(c.description);
    std::string root = find(c.name);
    auto [it, added] = component_ids.emplace(root, static_cast<int>(component_ids.size()) + 1);
    cube["connectedComponent"] = it->second;
    json::array measures, dimensions, segments;
    for (const auto& m : c.measures) {
      if (!m.is_public) continue;
      json::object o;
      o["name"] = c.name + "." + m.name;
      o["title"] = J(m.title);
      if (!m.description.empty()) o["description"] = J(m.description);
      o["shortTitle"] = J(m.short_title);
      if (!m.format.empty()) o["format"] = J(m.format);
      o["cumulativeTotal"] = false;
      o["cumulative"] = false;
      o["type"] = J(MeasureValueType(m.type));
      o["aggType"] = J(AggType(m.type));
      o["drillMembers"] = DrillMembers(m);
      o["drillMembersGrouped"] = DrillMembersGrouped(m, model);
      AddMeta(o, m.meta);
      measures.push_back(std::move(o));
    }
    for (const auto& d : c.dimensions) {
      if (!d.is_public) continue;
      json::object o;
      o["name"] = c.name + "." + d.name;
      o["title"] = J(d.title);
      o["type"] = J(DimensionTypeName(d.type));
      if (!d.description.empty()) o["description"] = J(d.description);
      o["shortTitle"] = J(d.short_title);
      o["suggestFilterValues"] = true;
      if (!d.format.empty()) o["format"] = J(d.format);
      AddMeta(o, d.meta);
      dimensions.push_back(std::move(o));
    }
    for (const auto& s : c.segments) {
      if (!s.is_public) continue;
      json::object o{{"name", c.name + "." + s.name},
                     {"title", J(s.title)},
                     {"shortTitle", J(s.short_title)}};
      if (!s.description.empty()) o["description"] = J(s.description);
      segments.push_back(std::move(o));
    }
    cube["measures"] = std::move(measures);
    cube["dimensions"] = std::move(dimensions);
    cube["segments"] = std::move(segments);
    AddMeta(cube, c.meta);
    cubes.push_back(std::move(cube));
  }
  return json::object{{"cubes", std::move(cubes)}};
}

}  // namespace tessera::api
