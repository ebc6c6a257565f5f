// Tenant isolation as a property: thousands of random queries, each run with
// one tenant's token, must return exactly what a straightforward SQL query
// over that tenant's rows returns — never a row of another tenant, never the
// excluded member secret_note. Half of the runs repeat a query (often the
// same text another tenant ran) to exercise the response and result caches.
// The property is checked for each way Tessera separates tenants:
//   - RowPolicy: one database; the `role: "*"` access policy's row filter
//     tenant_id = { securityContext.tenant_id };
//   - RewriteRule: one database; a `query_rewrite` mandatory filter on every
//     cube with a tenant_id dimension;
//   - TenantDatabases: no row filter at all; `tenancy:` gives each tenant its
//     own SQLite file, chosen by the token's `org` claim, and ground truth is
//     computed on that file.
// In the shared-database modes a sample also runs as role auditor, who sees
// every tenant.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "policy/policy_support.h"

namespace tessera::policy_test {
namespace {

// Tenant ids with quotes, wildcards and punctuation.
const std::vector<std::string>& Tenants() {
  static const auto* kTenants = new std::vector<std::string>{"t1", "t-2", "o'brien", "x\"y", "100%_like"};
  return *kTenants;
}

constexpr int kRowsPerTenantMin = 600;
constexpr int kRowsPerTenantSpread = 400;  // 600..999 rows each
constexpr int kUniqueQueriesPerTenant = 500;  // each run twice (cold, then cached): 1,000 runs per tenant
constexpr int kAuditorQueries = 80;

// A small deterministic generator (splitmix64), independent of the standard
// library's distributions so the data are the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Int(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Next() % v.size()]; }

 private:
  uint64_t s_;
};

const std::vector<std::string>& Regions() {
  static const auto* k = new std::vector<std::string>{"north", "south", "East", "west", "North Pole"};
  return *k;
}
const std::vector<std::string>& Products() {
  static const auto* k = new std::vector<std::string>{"Widget", "widget pro", "Gadget", "gizmo_1",
                                                      "100% cotton", "O'Neil", "naïve café"};
  return *k;
}

// Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm).
void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

std::string Date(int64_t days) {
  int y, m, d;
  CivilFromDays(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

constexpr int64_t kDay2022 = 18993;  // 2022-01-01
constexpr int64_t kSpanDays = 3 * 365;

struct SaleRow {
  int64_t id;
  std::string tenant;
  std::optional<std::string> region;
  std::string product;
  std::optional<int64_t> amount;
  std::string secret;
  std::string created_at;
};

std::vector<SaleRow> GenerateRows() {
  Rng rng(424242);
  std::vector<SaleRow> rows;
  int64_t id = 0;
  for (const auto& tenant : Tenants()) {
    int n = kRowsPerTenantMin + rng.Int(0, kRowsPerTenantSpread);
    for (int i = 0; i < n; ++i) {
      SaleRow r;
      r.id = ++id;
      r.tenant = tenant;
      if (!rng.Chance(6)) r.region = rng.Pick(Regions());
      r.product = rng.Pick(Products());
      if (!rng.Chance(4)) r.amount = rng.Int(1, 1000);
      r.secret = "secret of " + tenant + " #" + std::to_string(r.id);
      int64_t day = kDay2022 + rng.Int(0, kSpanDays - 1);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", Date(day).c_str(), rng.Int(0, 23), rng.Int(0, 59),
                    rng.Int(0, 59));
      r.created_at = buf;
      rows.push_back(std::move(r));
    }
  }
  // Interleave tenants in id order a bit: shuffle ids so no tenant owns a
  // contiguous range (the row filter must not depend on id ranges).
  Rng shuffle(77);
  for (size_t i = rows.size(); i > 1; --i) {
    size_t j = shuffle.Next() % i;
    std::swap(rows[i - 1].id, rows[j].id);
  }
  return rows;
}

constexpr char kModel[] = R"(
cubes:
  - name: Sales
    sql_table: sales
    measures:
      - name: count
        type: count
      - name: total
        sql: amount
        type: sum
      - name: max_amount
        sql: amount
        type: max
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
        public: true
      - name: tenant_id
        sql: tenant_id
        type: string
      - name: region
        sql: region
        type: string
      - name: product
        sql: product
        type: string
      - name: amount
        sql: amount
        type: number
      - name: secret_note
        sql: secret_note
        type: string
      - name: created_at
        sql: created_at
        type: time
    segments:
      - name: big
        sql: "{CUBE}.amount >= 500"
    access_policy:
      - role: "*"
        member_level:
          includes: "*"
          excludes: [secret_note]
        row_level:
          filters:
            - member: tenant_id
              operator: equals
              values: ["{ securityContext.tenant_id }"]
      - role: auditor
        member_level:
          includes: "*"
        row_level:
          allow_all: true
)";

// The same cube with secret_note hidden but no row filter: tenants are
// separated by a rewrite rule or by databases instead.
std::string ModelWithoutRowFilter() {
  std::string m = kModel;
  size_t from = m.find("        row_level:\n          filters:");
  size_t to = m.find("      - role: auditor");
  return m.substr(0, from) + m.substr(to);
}

constexpr char kRewriteConfig[] = R"(
query_rewrite:
  - name: tenant isolation
    filter:
      dimension: tenant_id
      operator: equals
      values: ["{ securityContext.tenant_id }"]
    except_roles: [auditor]
)";

constexpr char kTenancyConfig[] = R"(
tenancy:
  claim: org
  id_pattern: "^org[0-9]+$"
  data_source:
    type: sqlite
    file: tenants/{tenant}.db
)";

enum class Mode { kRowPolicy, kRewriteRule, kTenantDatabases };

std::string ModeName(const ::testing::TestParamInfo<Mode>& info) {
  switch (info.param) {
    case Mode::kRowPolicy: return "RowPolicy";
    case Mode::kRewriteRule: return "RewriteRule";
    case Mode::kTenantDatabases: return "TenantDatabases";
  }
  return "?";
}

// The org id (a file-safe tenant id) of tenant number `t`.
std::string Org(size_t t) { return "org" + std::to_string(t + 1); }

// ---------------------------------------------------------------------------
// Random queries and their ground truth.

struct Leaf {
  std::string member;  // short name
  std::string op;
  std::vector<std::string> values;
};

struct FilterSpec {
  bool is_or = false;
  std::vector<Leaf> leaves;  // one leaf, or the members of an or-group
};

struct QuerySpec {
  std::vector<std::string> measures;    // short names
  std::vector<std::string> dimensions;  // short names
  bool has_time = false;
  std::string granularity;  // "" = none
  std::optional<std::pair<std::string, std::string>> date_range;
  std::vector<FilterSpec> filters;
  bool segment_big = false;
  std::vector<std::pair<std::string, bool>> order;  // short name ("created_at" for the time dim), desc
  int limit = 10;
  bool total = false;
};

bool IsMeasure(const std::string& m) { return m == "count" || m == "total" || m == "max_amount"; }
bool IsNumberDim(const std::string& m) { return m == "amount" || m == "id"; }

std::string Q(const std::string& short_name) { return "Sales." + short_name; }

Leaf RandomLeaf(Rng& rng, const std::string& own_tenant, bool allow_measure) {
  Leaf leaf;
  int kind = rng.Int(1, allow_measure ? 100 : 90);
  if (kind > 90) {
    leaf.member = rng.Chance(50) ? "count" : "total";
    leaf.op = rng.Chance(50) ? "gt" : "lt";
    leaf.values = {std::to_string(leaf.member == "count" ? rng.Int(0, 60) : rng.Int(0, 30000))};
    return leaf;
  }
  if (kind > 65) {  // number dimension
    leaf.member = rng.Chance(80) ? "amount" : "id";
    int max = leaf.member == "amount" ? 1000 : 5000;
    switch (rng.Int(0, 6)) {
      case 0: leaf.op = "equals"; leaf.values = {std::to_string(rng.Int(1, max))}; break;
      case 1:
        leaf.op = "equals";
        for (int i = 0, n = rng.Int(2, 4); i < n; ++i) leaf.values.push_back(std::to_string(rng.Int(1, max)));
        break;
      case 2: leaf.op = "notEquals"; leaf.values = {std::to_string(rng.Int(1, max))}; break;
      case 3: leaf.op = "gt"; leaf.values = {std::to_string(rng.Int(0, max))}; break;
      case 4: leaf.op = "lt"; leaf.values = {std::to_string(rng.Int(0, max))}; break;
      case 5: leaf.op = "set"; break;
      default: leaf.op = "notSet"; break;
    }
    return leaf;
  }
  // String dimension.
  int which = rng.Int(0, 9);
  std::vector<std::string> pool;
  if (which < 3) {
    leaf.member = "tenant_id";
    pool = Tenants();
    pool.push_back(own_tenant);
    pool.push_back(own_tenant);  // more often the own tenant
    pool.push_back("T1");
    pool.push_back("%");
  } else if (which < 7) {
    leaf.member = "region";
    pool = Regions();
    pool.push_back("NORTH");
    pool.push_back("nowhere");
  } else {
    leaf.member = "product";
    pool = Products();
    pool.push_back("widget");
    pool.push_back("zzz");
  }
  auto substring = [&](std::string s) {
    if (s.size() <= 2 || rng.Chance(30)) return s;
    size_t from = rng.Next() % (s.size() - 1);
    size_t len = 1 + rng.Next() % std::min<size_t>(4, s.size() - from);
    std::string sub = s.substr(from, len);
    // Cutting a UTF-8 sequence in half makes an invalid string; keep ASCII.
    for (unsigned char c : sub) {
      if (c >= 0x80) return s;
    }
    if (rng.Chance(30)) {
      for (char& c : sub) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return sub;
  };
  switch (rng.Int(0, 7)) {
    case 0:
    case 1: leaf.op = "equals"; leaf.values = {rng.Pick(pool)}; break;
    case 2:
      leaf.op = rng.Chance(50) ? "equals" : "in";
      for (int i = 0, n = rng.Int(2, 3); i < n; ++i) leaf.values.push_back(rng.Pick(pool));
      break;
    case 3: leaf.op = "notEquals"; for (int i = 0, n = rng.Int(1, 2); i < n; ++i) leaf.values.push_back(rng.Pick(pool)); break;
    case 4: leaf.op = "contains"; leaf.values = {substring(rng.Pick(pool))}; break;
    case 5: leaf.op = "notContains"; leaf.values = {substring(rng.Pick(pool))}; break;
    case 6: leaf.op = "set"; break;
    default: leaf.op = "notSet"; break;
  }
  return leaf;
}

QuerySpec RandomQuery(Rng& rng, const std::string& own_tenant) {
  QuerySpec q;
  static const std::vector<std::string> kMeasures = {"count", "total", "max_amount"};
  static const std::vector<std::string> kDims = {"tenant_id", "region", "product", "amount", "tenant_id",
                                                 "region", "product", "id"};
  for (const auto& m : kMeasures) {
    if (rng.Chance(40)) q.measures.push_back(m);
  }
  int ndims = rng.Int(0, 2);
  for (int i = 0; i < ndims; ++i) {
    const std::string& d = rng.Pick(kDims);
    if (d == "id" && !rng.Chance(30)) continue;
    if (std::find(q.dimensions.begin(), q.dimensions.end(), d) == q.dimensions.end()) q.dimensions.push_back(d);
  }
  if (rng.Chance(40)) {
    q.has_time = true;
    static const std::vector<std::string> kGran = {"day", "month", "year", "month", "year"};
    if (rng.Chance(75)) q.granularity = rng.Pick(kGran);
    if (rng.Chance(65) || q.granularity.empty()) {
      int64_t a = kDay2022 - 30 + rng.Int(0, kSpanDays + 60);
      int64_t b = a + rng.Int(0, rng.Chance(50) ? 60 : 500);
      std::string from = Date(a), to = Date(b);
      if (rng.Chance(25)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", rng.Int(0, 23), rng.Int(0, 59), rng.Int(0, 59));
        from += buf;
        std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", rng.Int(0, 23), rng.Int(0, 59), rng.Int(0, 59));
        to += buf;
      }
      q.date_range = {from, to};
    }
  }
  if (q.measures.empty() && q.dimensions.empty() && q.granularity.empty()) {
    q.measures.push_back(rng.Pick(kMeasures));
  }
  int nfilters = rng.Int(0, 3);
  for (int i = 0; i < nfilters; ++i) {
    FilterSpec f;
    if (rng.Chance(20)) {
      f.is_or = true;
      for (int j = 0, n = rng.Int(2, 3); j < n; ++j) f.leaves.push_back(RandomLeaf(rng, own_tenant, false));
    } else {
      f.leaves.push_back(RandomLeaf(rng, own_tenant, !q.measures.empty() || rng.Chance(30)));
    }
    q.filters.push_back(std::move(f));
  }
  q.segment_big = rng.Chance(10);
  if (rng.Chance(55)) {
    std::vector<std::string> selected = q.measures;
    selected.insert(selected.end(), q.dimensions.begin(), q.dimensions.end());
    if (!q.granularity.empty()) selected.push_back("created_at");
    for (int i = 0, n = rng.Int(1, 2); i < n && !selected.empty(); ++i) {
      size_t k = rng.Next() % selected.size();
      q.order.emplace_back(selected[k], rng.Chance(50));
      selected.erase(selected.begin() + static_cast<long>(k));
    }
  }
  q.limit = rng.Int(1, 50);
  q.total = rng.Chance(10);
  return q;
}

std::string ToJson(const QuerySpec& q) {
  json::object o;
  json::array measures, dimensions;
  for (const auto& m : q.measures) measures.emplace_back(json::string(Q(m)));
  for (const auto& d : q.dimensions) dimensions.emplace_back(json::string(Q(d)));
  if (!measures.empty()) o["measures"] = std::move(measures);
  if (!dimensions.empty()) o["dimensions"] = std::move(dimensions);
  if (q.has_time) {
    json::object td{{"dimension", "Sales.created_at"}};
    if (!q.granularity.empty()) td["granularity"] = q.granularity;
    if (q.date_range) td["dateRange"] = json::array{json::string(q.date_range->first), json::string(q.date_range->second)};
    o["timeDimensions"] = json::array{std::move(td)};
  }
  if (!q.filters.empty()) {
    json::array filters;
    auto leaf_json = [](const Leaf& l) {
      json::object f{{"member", Q(l.member)}, {"operator", l.op}};
      if (!l.values.empty()) {
        json::array v;
        for (const auto& s : l.values) v.emplace_back(json::string(s));
        f["values"] = std::move(v);
      }
      return f;
    };
    for (const auto& f : q.filters) {
      if (f.is_or) {
        json::array items;
        for (const auto& l : f.leaves) items.push_back(leaf_json(l));
        filters.push_back(json::object{{"or", std::move(items)}});
      } else {
        filters.push_back(leaf_json(f.leaves.front()));
      }
    }
    o["filters"] = std::move(filters);
  }
  if (q.segment_big) o["segments"] = json::array{"Sales.big"};
  if (!q.order.empty()) {
    json::object order;
    for (const auto& [m, desc] : q.order) order[Q(m)] = desc ? "desc" : "asc";
    o["order"] = std::move(order);
  }
  o["limit"] = q.limit;
  if (q.total) o["total"] = true;
  return json::serialize(o);
}

// The ground truth: plain SQL over the sales table, written independently of
// Tessera's compiler, without limit (the comparison applies it).
struct Truth {
  std::vector<json::object> rows;        // every group, in the query's order
  std::vector<std::string> order_keys;   // row keys the order is defined on
};

std::string MeasureExpr(const std::string& m) {
  if (m == "count") return "count(*)";
  if (m == "total") return "sum(amount)";
  return "max(amount)";
}

std::string Literal(const std::string& member, const std::string& v) {
  return IsNumberDim(member) || IsMeasure(member) ? v : SqlQuote(v);
}

std::string LeafSql(const Leaf& l) {
  const std::string col = IsMeasure(l.member) ? MeasureExpr(l.member) : l.member;
  std::vector<std::string> lits;
  for (const auto& v : l.values) lits.push_back(Literal(l.member, v));
  auto list = [&] {
    std::string s;
    for (size_t i = 0; i < lits.size(); ++i) s += (i ? ", " : "") + lits[i];
    return s;
  };
  if (l.op == "equals" || l.op == "in") return col + " IN (" + list() + ")";
  if (l.op == "notEquals") return "(" + col + " NOT IN (" + list() + ") OR " + col + " IS NULL)";
  if (l.op == "contains" || l.op == "notContains") {
    std::string any;
    for (size_t i = 0; i < lits.size(); ++i) {
      any += (i ? " OR " : "") + ("instr(lower(" + col + "), lower(" + lits[i] + ")) > 0");
    }
    if (l.op == "contains") return "(" + any + ")";
    return "((NOT (" + any + ")) OR " + col + " IS NULL)";
  }
  if (l.op == "gt") return col + " > " + lits[0];
  if (l.op == "lt") return col + " < " + lits[0];
  if (l.op == "set") return col + " IS NOT NULL";
  if (l.op == "notSet") return col + " IS NULL";
  ADD_FAILURE() << "no ground truth for operator " << l.op;
  return "1";
}

// The bucket a timestamp "YYYY-MM-DD HH:MM:SS" falls in, as Cube prints it.
std::string BucketExpr(const std::string& granularity) {
  if (granularity == "day") return "substr(created_at, 1, 10) || 'T00:00:00.000'";
  if (granularity == "month") return "substr(created_at, 1, 7) || '-01T00:00:00.000'";
  return "substr(created_at, 1, 4) || '-01-01T00:00:00.000'";
}

std::string DateBound(const std::string& v, bool upper) {
  if (v.size() == 10) return v + (upper ? " 23:59:59.999" : " 00:00:00");
  std::string s = v;
  s[10] = ' ';
  return s;
}

Truth GroundTruth(Sqlite& db, const QuerySpec& q, const std::optional<std::string>& tenant) {
  struct Col {
    std::string expr;
    std::vector<std::string> keys;
    bool time = false;
  };
  std::vector<Col> cols;
  std::map<std::string, size_t> pos;  // short name -> 1-based position
  for (const auto& d : q.dimensions) {
    cols.push_back({d, {Q(d)}});
    pos[d] = cols.size();
  }
  if (!q.granularity.empty()) {
    cols.push_back({BucketExpr(q.granularity), {Q("created_at." + q.granularity), Q("created_at")}, true});
    pos["created_at"] = cols.size();
  }
  size_t ndims = cols.size();
  for (const auto& m : q.measures) {
    cols.push_back({MeasureExpr(m), {Q(m)}});
    pos[m] = cols.size();
  }
  std::vector<std::string> where, having;
  if (tenant) where.push_back("tenant_id = " + SqlQuote(*tenant));
  if (q.date_range) {
    where.push_back("created_at >= " + SqlQuote(DateBound(q.date_range->first, false)) + " AND created_at <= " +
                    SqlQuote(DateBound(q.date_range->second, true)));
  }
  if (q.segment_big) where.push_back("amount >= 500");
  for (const auto& f : q.filters) {
    std::string s;
    for (size_t i = 0; i < f.leaves.size(); ++i) s += (i ? " OR " : "") + ("(" + LeafSql(f.leaves[i]) + ")");
    if (!f.is_or && IsMeasure(f.leaves.front().member)) {
      having.push_back(s);
    } else {
      where.push_back(s);
    }
  }
  std::string sql = "SELECT ";
  for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i].expr;
  sql += " FROM sales";
  for (size_t i = 0; i < where.size(); ++i) sql += (i ? " AND (" : " WHERE (") + where[i] + ")";
  if (ndims > 0) {
    sql += " GROUP BY ";
    for (size_t i = 1; i <= ndims; ++i) sql += (i > 1 ? ", " : "") + std::to_string(i);
  }
  for (size_t i = 0; i < having.size(); ++i) sql += (i ? " AND (" : " HAVING (") + having[i] + ")";
  // Cube's default order: the first time dimension with a granularity
  // ascending, else the first measure descending (with dimensions), else the
  // first dimension ascending.
  std::vector<std::pair<std::string, bool>> order = q.order;
  if (order.empty()) {
    if (!q.granularity.empty()) {
      order.emplace_back("created_at", false);
    } else if (!q.measures.empty() && !q.dimensions.empty()) {
      order.emplace_back(q.measures.front(), true);
    } else if (!q.dimensions.empty()) {
      order.emplace_back(q.dimensions.front(), false);
    }
  }
  Truth truth;
  std::vector<std::string> terms;
  for (const auto& [m, desc] : order) {
    terms.push_back(std::to_string(pos.at(m)) + (desc ? " DESC NULLS FIRST" : " ASC NULLS LAST"));
    truth.order_keys.push_back(Q(m));
  }
  for (size_t i = 0; i < terms.size(); ++i) sql += (i ? ", " : " ORDER BY ") + terms[i];
  for (const auto& row : db.Query(sql)) {
    json::object o;
    for (size_t i = 0; i < cols.size(); ++i) {
      for (const auto& k : cols[i].keys) {
        if (row[i]) {
          o[k] = json::string(*row[i]);
        } else {
          o[k] = nullptr;
        }
      }
    }
    truth.rows.push_back(std::move(o));
  }
  return truth;
}

bool SameRow(const json::object& a, const json::object& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a) {
    const json::value* w = b.if_contains(k);
    if (w == nullptr || !SameScalar(CellText(&v), CellText(w))) return false;
  }
  return true;
}

// Rows equal the first `limit` rows of the truth: as a set of distinct groups
// (ties at the cut may pick different groups, all from the truth), with the
// order keys in the same sequence.
::testing::AssertionResult MatchesTruth(const json::array& actual, const Truth& truth, int limit) {
  size_t n = std::min<size_t>(static_cast<size_t>(limit), truth.rows.size());
  if (actual.size() != n) {
    return ::testing::AssertionFailure() << "expected " << n << " rows (of " << truth.rows.size()
                                         << " groups), got " << actual.size() << ": "
                                         << json::serialize(actual).substr(0, 1500);
  }
  std::vector<bool> used(truth.rows.size());
  for (const auto& row : actual) {
    if (!row.is_object()) return ::testing::AssertionFailure() << "row is not an object";
    bool found = false;
    for (size_t j = 0; j < truth.rows.size() && !found; ++j) {
      if (!used[j] && SameRow(row.as_object(), truth.rows[j])) used[j] = found = true;
    }
    if (!found) {
      std::string sample;
      for (size_t j = 0; j < std::min<size_t>(5, truth.rows.size()); ++j) sample += json::serialize(truth.rows[j]) + " ";
      return ::testing::AssertionFailure() << "row not in the ground truth: " << json::serialize(row)
                                           << "\ntruth starts: " << sample;
    }
  }
  if (truth.order_keys.empty() && n < truth.rows.size()) {
    return ::testing::AssertionFailure() << "test bug: a cut without an order";
  }
  for (size_t i = 0; i < n; ++i) {
    for (const auto& k : truth.order_keys) {
      auto a = CellText(actual[i].as_object().if_contains(k));
      auto b = CellText(truth.rows[i].if_contains(k));
      if (!SameScalar(a, b)) {
        return ::testing::AssertionFailure() << "order differs at row " << i << " on " << k << ": got "
                                             << a.value_or("null") << ", expected " << b.value_or("null")
                                             << "\nactual: " << json::serialize(actual).substr(0, 1500);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

void WriteRows(const std::string& path, const std::vector<const SaleRow*>& rows) {
  Sqlite db(path);
  db.Exec(
      "CREATE TABLE sales (id INTEGER PRIMARY KEY, tenant_id TEXT, region TEXT, product TEXT, amount INTEGER, "
      "secret_note TEXT, created_at TEXT)");
  db.Exec("BEGIN");
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db.handle(), "INSERT INTO sales VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st,
                               nullptr),
            SQLITE_OK);
  for (const SaleRow* row : rows) {
    const SaleRow& r = *row;
    sqlite3_bind_int64(st, 1, r.id);
    sqlite3_bind_text(st, 2, r.tenant.c_str(), -1, SQLITE_TRANSIENT);
    if (r.region) sqlite3_bind_text(st, 3, r.region->c_str(), -1, SQLITE_TRANSIENT); else sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, r.product.c_str(), -1, SQLITE_TRANSIENT);
    if (r.amount) sqlite3_bind_int64(st, 5, *r.amount); else sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, r.secret.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, r.created_at.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  db.Exec("COMMIT");
  db.Exec("CREATE INDEX sales_tenant_idx ON sales (tenant_id)");
}

class IsolationPropertyTest : public ::testing::TestWithParam<Mode> {
 public:
  static void SetUpTestSuite() {
    dir_ = new fs::path(MakeTempDir("tessera-policy-isolation"));
    db_ = new std::string((*dir_ / "sales.db").string());
    rows_ = new std::vector<SaleRow>(GenerateRows());
    std::vector<const SaleRow*> all;
    for (const auto& r : *rows_) all.push_back(&r);
    WriteRows(*db_, all);
    // One file per tenant, holding only that tenant's rows.
    fs::create_directories(*dir_ / "tenants");
    for (size_t t = 0; t < Tenants().size(); ++t) {
      std::vector<const SaleRow*> own;
      for (const auto& r : *rows_) {
        if (r.tenant == Tenants()[t]) own.push_back(&r);
      }
      WriteRows(TenantDb(t), own);
    }
    std::string errors;
    model_ = new model::CompiledModelPtr(LoadModel(kModel, &errors));
    ASSERT_TRUE(*model_) << "the Sales model with access_policy does not load:\n" << errors;
    open_model_ = new model::CompiledModelPtr(LoadModel(ModelWithoutRowFilter(), &errors));
    ASSERT_TRUE(*open_model_) << "the Sales model without row filter does not load:\n" << errors;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (dir_) fs::remove_all(*dir_, ec);
    delete dir_;
    delete db_;
    delete rows_;
    delete model_;
    delete open_model_;
    dir_ = nullptr;
    db_ = nullptr;
    rows_ = nullptr;
    model_ = nullptr;
    open_model_ = nullptr;
  }

 protected:
  static std::string TenantDb(size_t t) { return (*dir_ / "tenants" / (Org(t) + ".db")).string(); }

  void SetUp() override {
    ASSERT_TRUE(model_ && *model_);
    api::AppOptions options = DefaultOptions();
    options.worker_threads = 4;
    switch (GetParam()) {
      case Mode::kRowPolicy:
        app_ = TokenApp(*model_, OpenSqlite(*db_), options);
        break;
      case Mode::kRewriteRule: {
        auto directory = Directory(*open_model_, kRewriteConfig, *dir_, OpenSqlite(*db_));
        ASSERT_TRUE(directory.ok()) << directory.status();
        app_ = TenantApp(*directory, options);
        break;
      }
      case Mode::kTenantDatabases: {
        auto directory = Directory(*open_model_, kTenancyConfig, *dir_, nullptr);
        ASSERT_TRUE(directory.ok()) << directory.status();
        directory_ = *directory;
        app_ = TenantApp(*directory, options);
        break;
      }
    }
    ASSERT_NE(app_, nullptr);
  }

  bool SharedDatabase() const { return GetParam() != Mode::kTenantDatabases; }

  // A token for tenant number `t` (plus `extra` claims).
  std::string TenantToken(size_t t, json::object extra = {}) const {
    extra["tenant_id"] = Tenants()[t];
    extra["org"] = Org(t);
    return Token(std::move(extra));
  }

  static fs::path* dir_;
  static std::string* db_;
  static std::vector<SaleRow>* rows_;
  static model::CompiledModelPtr* model_;
  static model::CompiledModelPtr* open_model_;
  std::shared_ptr<tenancy::TenantDirectory> directory_;
  std::unique_ptr<api::App> app_;
};

fs::path* IsolationPropertyTest::dir_ = nullptr;
std::string* IsolationPropertyTest::db_ = nullptr;
std::vector<SaleRow>* IsolationPropertyTest::rows_ = nullptr;
model::CompiledModelPtr* IsolationPropertyTest::model_ = nullptr;
model::CompiledModelPtr* IsolationPropertyTest::open_model_ = nullptr;

TEST_P(IsolationPropertyTest, RandomQueriesSeeExactlyTheTenantsRows) {
  Sqlite shared_db(*db_, /*read_only=*/true);
  const auto& tenants = Tenants();
  std::vector<std::string> tokens;
  for (size_t t = 0; t < tenants.size(); ++t) tokens.push_back(TenantToken(t));
  // Ground truth: the tenant's rows of the shared database, or the whole of
  // the tenant's own database.
  std::vector<std::unique_ptr<Sqlite>> own_dbs;
  for (size_t t = 0; t < tenants.size(); ++t) own_dbs.push_back(std::make_unique<Sqlite>(TenantDb(t), true));
  auto truth = [&](size_t t, const QuerySpec& spec) {
    return SharedDatabase() ? GroundTruth(shared_db, spec, tenants[t]) : GroundTruth(*own_dbs[t], spec, std::nullopt);
  };

  struct Planned {
    std::string text;
    QuerySpec spec;
    Truth truth;
  };
  // plan[t][i]: query i of tenant t. Even-numbered queries are the same text
  // for every tenant (so a response cached for one tenant would be served to
  // another if the caches ignored the security context); odd ones depend on
  // the tenant.
  std::vector<std::vector<Planned>> plan(tenants.size());
  Rng shared_rng(2024);
  std::vector<Rng> own_rng;
  for (size_t t = 0; t < tenants.size(); ++t) own_rng.emplace_back(1000 + t);
  for (int i = 0; i < kUniqueQueriesPerTenant; ++i) {
    std::optional<QuerySpec> shared;
    if (i % 2 == 0) shared = RandomQuery(shared_rng, tenants[static_cast<size_t>(i / 2) % tenants.size()]);
    for (size_t t = 0; t < tenants.size(); ++t) {
      Planned p;
      p.spec = shared ? *shared : RandomQuery(own_rng[t], tenants[t]);
      p.text = ToJson(p.spec);
      p.truth = truth(t, p.spec);
      plan[t].push_back(std::move(p));
    }
  }

  int failures = 0, runs = 0, nonempty = 0;
  auto check = [&](size_t t, const Planned& p, int pass) {
    ++runs;
    http::Response r = LoadAs(*app_, p.text, tokens[t]);
    if (r.status != 200) {
      if (++failures <= 10) {
        ADD_FAILURE() << "tenant " << tenants[t] << " pass " << pass << ": " << p.text << "\n-> " << r.status
                      << " " << r.body.substr(0, 500);
      }
      return;
    }
    json::value body = testing::Json(r);
    const json::array& data = body.at("data").as_array();
    if (!data.empty()) ++nonempty;
    for (const auto& row : data) {
      const json::value* tid = row.as_object().if_contains("Sales.tenant_id");
      if (tid && !(tid->is_string() && tid->get_string() == tenants[t])) {
        if (++failures <= 10) {
          ADD_FAILURE() << "tenant " << tenants[t] << " got a row of tenant " << json::serialize(*tid) << " for "
                        << p.text;
        }
        return;
      }
      if (row.as_object().contains("Sales.secret_note")) {
        if (++failures <= 10) ADD_FAILURE() << "secret_note in a tenant's answer: " << p.text;
        return;
      }
    }
    ::testing::AssertionResult same = MatchesTruth(data, p.truth, p.spec.limit);
    if (!same) {
      if (++failures <= 10) {
        ADD_FAILURE() << "tenant " << tenants[t] << " pass " << pass << ": " << p.text << "\n" << same.message();
      }
      return;
    }
    if (p.spec.total) {
      const json::value* total = body.as_object().if_contains("total");
      if (total == nullptr || !SameScalar(CellText(total), std::to_string(p.truth.rows.size()))) {
        if (++failures <= 10) {
          ADD_FAILURE() << "tenant " << tenants[t] << ": total " << (total ? json::serialize(*total) : "missing")
                        << ", expected " << p.truth.rows.size() << " for " << p.text;
        }
      }
    }
  };
  // Pass 1 and pass 2 (the repeats), each round-robin over the tenants.
  for (int pass = 1; pass <= 2; ++pass) {
    for (int i = 0; i < kUniqueQueriesPerTenant; ++i) {
      for (size_t t = 0; t < tenants.size(); ++t) check(t, plan[t][static_cast<size_t>(i)], pass);
    }
  }
  EXPECT_EQ(failures, 0) << failures << " of " << runs << " runs failed (the first 10 are shown above)";
  EXPECT_GE(runs, static_cast<int>(tenants.size()) * 500);
  // The generator must produce meaningful answers, not only empty ones.
  EXPECT_GT(nonempty, runs / 2);
  if (directory_) {
    // Every tenant's database was opened once and is still pooled.
    EXPECT_EQ(directory_->open_sources(), tenants.size());
  }
}

TEST_P(IsolationPropertyTest, CountsPerTenantMatchTheData) {
  for (size_t i = 0; i < Tenants().size(); ++i) {
    const std::string& t = Tenants()[i];
    int64_t expected = 0;
    for (const auto& r : *rows_) expected += r.tenant == t ? 1 : 0;
    http::Response r =
        LoadAs(*app_, R"({"measures":["Sales.count"],"dimensions":["Sales.tenant_id"]})", TenantToken(i));
    json::array rows = Rows(r);
    ASSERT_EQ(rows.size(), 1u) << t << ": " << r.body.substr(0, 500);
    EXPECT_EQ(CellText(rows[0].as_object().if_contains("Sales.tenant_id")), t);
    EXPECT_EQ(CellInt(rows[0], "Sales.count"), expected) << t;
  }
}

TEST_P(IsolationPropertyTest, SecretNoteIsHiddenFromTenants) {
  for (size_t i = 0; i < Tenants().size(); ++i) {
    const std::string& t = Tenants()[i];
    std::string token = TenantToken(i);
    MetaView meta = Meta(*app_, token);
    ASSERT_TRUE(meta.HasCube("Sales")) << t;
    EXPECT_FALSE(meta.Has("Sales.secret_note")) << t;
    EXPECT_TRUE(meta.Has("Sales.count"));
    EXPECT_TRUE(meta.Has("Sales.tenant_id"));
    EXPECT_TRUE(meta.Has("Sales.created_at"));
    EXPECT_TRUE(meta.Has("Sales.big"));
    for (const std::string& q : {
             std::string(R"({"dimensions":["Sales.secret_note"]})"),
             std::string(R"({"measures":["Sales.count"],"dimensions":["Sales.secret_note"]})"),
             std::string(R"({"measures":["Sales.count"],"filters":[{"member":"Sales.secret_note","operator":"contains","values":["secret"]}]})"),
             std::string(R"({"measures":["Sales.count"],"filters":[{"or":[{"member":"Sales.region","operator":"set"},{"member":"Sales.secret_note","operator":"set"}]}]})"),
             std::string(R"({"measures":["Sales.count"],"dimensions":["Sales.region"],"order":{"Sales.secret_note":"asc"}})"),
         }) {
      http::Response r = LoadAs(*app_, q, token);
      EXPECT_EQ(r.status, 403) << t << " " << q << " -> " << r.body;
      EXPECT_EQ(r.body, HiddenMemberBody("Sales.secret_note")) << t << " " << q;
    }
  }
}

TEST_P(IsolationPropertyTest, AuditorSeesEveryTenant) {
  if (!SharedDatabase()) GTEST_SKIP() << "each tenant's database holds only its own rows";
  Sqlite db(*db_, /*read_only=*/true);
  // The auditor also carries a tenant claim: role "*" matches everyone, and
  // its row filter must not narrow what the auditor's allow_all grants.
  std::string token = Token({{"role", "auditor"}, {"tenant_id", "t1"}});
  http::Response r = LoadAs(*app_, R"({"measures":["Sales.count"],"dimensions":["Sales.tenant_id"]})", token);
  json::array rows = Rows(r);
  std::set<std::string> seen;
  int64_t total = 0;
  for (const auto& row : rows) {
    seen.insert(CellText(row.as_object().if_contains("Sales.tenant_id")).value_or("<null>"));
    total += CellInt(row, "Sales.count");
  }
  EXPECT_EQ(seen, std::set<std::string>(Tenants().begin(), Tenants().end()));
  EXPECT_EQ(total, static_cast<int64_t>(rows_->size()));

  MetaView meta = Meta(*app_, token);
  EXPECT_TRUE(meta.Has("Sales.secret_note"));
  r = LoadAs(*app_, R"({"dimensions":["Sales.secret_note"],"filters":[{"member":"Sales.tenant_id","operator":"equals","values":["o'brien"]}],"limit":5000})", token);
  EXPECT_EQ(Rows(r).size(), static_cast<size_t>(db.Count("SELECT count(*) FROM sales WHERE tenant_id = 'o''brien'")));

  Rng rng(99);
  int failures = 0;
  for (int i = 0; i < kAuditorQueries; ++i) {
    QuerySpec spec = RandomQuery(rng, Tenants()[static_cast<size_t>(i) % Tenants().size()]);
    std::string text = ToJson(spec);
    Truth truth = GroundTruth(db, spec, std::nullopt);
    http::Response a = LoadAs(*app_, text, token);
    if (a.status != 200) {
      if (++failures <= 10) ADD_FAILURE() << "auditor: " << text << " -> " << a.status << " " << a.body.substr(0, 500);
      continue;
    }
    ::testing::AssertionResult same = MatchesTruth(testing::Json(a).at("data").as_array(), truth, spec.limit);
    if (!same && ++failures <= 10) ADD_FAILURE() << "auditor: " << text << "\n" << same.message();
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Isolation, IsolationPropertyTest,
                         ::testing::Values(Mode::kRowPolicy, Mode::kRewriteRule, Mode::kTenantDatabases), ModeName);

}  // namespace tessera::policy_test
