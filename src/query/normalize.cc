// The query as Cube echoes it: Cube builds the echo as
//   {...clientQuery, rowLimit, timezone, order, filters, dimensions, timeDimensions}
// so the client's keys come first in the client's order (with the
// normalised values of the keys Cube rewrites), then the rewritten keys the
// client did not send. Undefined values (rowLimit without limit) vanish.
#include "query/normalize.h"

#include <algorithm>
#include <string>

#include <boost/json/array.hpp>

namespace tessera::query {
namespace {

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

boost::json::array Values(const std::vector<std::optional<std::string>>& values) {
  boost::json::array out;
  for (const auto& v : values) {
    if (v) {
      out.emplace_back(*v);
    } else {
      out.emplace_back(nullptr);
    }
  }
  return out;
}

// Cube rewrites top-level member filters as {...rest, member}: the legacy
// `dimension` key is dropped and `member` moves last. Filters inside and/or
// groups are echoed as the client wrote them; we write them in the usual
// member, operator, values order.
boost::json::value FilterJson(const FilterNode& node, bool top_level) {
  boost::json::object out;
  if (node.kind != FilterNode::Kind::kLeaf) {
    boost::json::array children;
    for (const auto& child : node.children) children.push_back(FilterJson(child, false));
    out[node.kind == FilterNode::Kind::kAnd ? "and" : "or"] = std::move(children);
    return out;
  }
  const MemberFilter& f = node.leaf;
  if (!top_level) out["member"] = f.member;
  out["operator"] = FilterOperatorName(f.op);
  if (!f.values.empty()) out["values"] = Values(f.values);
  if (top_level) out["member"] = f.member;
  return out;
}

boost::json::object TimeDimensionJson(const TimeDimension& td) {
  boost::json::object out;
  out["dimension"] = td.dimension;
  if (td.granularity) out["granularity"] = GranularityName(*td.granularity);
  if (td.date_range) {
    out["dateRange"] = boost::json::array{FormatLocal(td.date_range->from),
                                          FormatLocal(td.date_range->to)};
  }
  return out;
}

// The keys of a query built in code: those a client would have sent.
std::vector<std::string> ImpliedKeys(const Query& q) {
  std::vector<std::string> keys;
  if (!q.measures.empty()) keys.emplace_back("measures");
  if (!q.segments.empty()) keys.emplace_back("segments");
  if (q.limit) keys.emplace_back("limit");
  if (q.offset != 0) keys.emplace_back("offset");
  if (q.total) keys.emplace_back("total");
  if (q.ungrouped) keys.emplace_back("ungrouped");
  if (q.renew_query) keys.emplace_back("renewQuery");
  return keys;
}

void Emit(const Query& q, std::string_view key, boost::json::object& out) {
  if (key == "measures") {
    out["measures"] = Strings(q.measures);
  } else if (key == "dimensions") {
    out["dimensions"] = Strings(q.dimensions);
  } else if (key == "segments") {
    out["segments"] = Strings(q.segments);
  } else if (key == "timeDimensions") {
    boost::json::array tds;
    for (const auto& td : q.time_dimensions) tds.push_back(TimeDimensionJson(td));
    out["timeDimensions"] = std::move(tds);
  } else if (key == "filters") {
    boost::json::array filters;
    for (const auto& f : q.filters) filters.push_back(FilterJson(f, true));
    out["filters"] = std::move(filters);
  } else if (key == "order") {
    boost::json::array order;
    for (const auto& item : q.order.value_or(std::vector<OrderItem>{})) {
      order.push_back(boost::json::object{{"id", item.member}, {"desc", item.desc}});
    }
    out["order"] = std::move(order);
  } else if (key == "limit" || key == "rowLimit") {
    if (q.limit) out[key] = *q.limit;
  } else if (key == "offset") {
    out["offset"] = q.offset;
  } else if (key == "total") {
    out["total"] = q.total;
  } else if (key == "ungrouped") {
    out["ungrouped"] = q.ungrouped;
  } else if (key == "renewQuery") {
    out["renewQuery"] = q.renew_query;
  } else if (key == "timezone") {
    out["timezone"] = q.timezone;
  }
}

}  // namespace

boost::json::object NormalizedJson(const Query& q) {
  std::vector<std::string> keys = q.given_keys.empty() ? ImpliedKeys(q) : q.given_keys;
  const bool has_limit = std::find(keys.begin(), keys.end(), "limit") != keys.end();
  if (has_limit) keys.emplace_back("rowLimit");
  for (const char* key : {"timezone", "order", "filters", "dimensions", "timeDimensions"}) {
    keys.emplace_back(key);
  }
  boost::json::object out;
  for (const std::string& key : keys) {
    if (out.contains(key)) continue;  // already placed where the client put it
    Emit(q, key, out);
  }
  return out;
}

}  // namespace tessera::query
