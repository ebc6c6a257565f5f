#pragma once
// The data model after loading and checking: immutable, shared by every
// request (and, in later issues, by every tenant that uses the same files).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/sql_template.h"

namespace tessera::model {

struct SourceLocation {
  std::string file;  // path relative to the model folder
  int line = 0;      // 1-based
};

enum class MeasureType {
  kCount, kCountDistinct, kCountDistinctApprox, kSum, kAvg, kMin, kMax,
  kNumber,  // a formula over other measures, or a plain SQL aggregate
  kString, kTime, kBoolean  // non-aggregated measure types Cube also accepts
};
enum class DimensionType { kString, kNumber, kTime, kBoolean };
enum class Relationship { kManyToOne, kOneToMany, kOneToOne };

// `meta:` blocks are kept as JSON text and passed through to /meta unchanged.
using MetaJson = std::string;

struct Measure {
  std::string name;         // "count"
  std::string title;        // defaults to "<Cube title> <Humanized name>"
  std::string short_title;  // defaults to the humanized name ("Count")
  std::string description;
  MeasureType type = MeasureType::kCount;
  SqlTemplate sql;                   // empty for a count without `sql`
  std::vector<SqlTemplate> filters;  // each `- sql:`; combined with AND
  std::string format;                // "percent", "currency", "" ...
  std::vector<std::string> drill_members;  // fully qualified "Cube.member"
  bool is_public = true;
  MetaJson meta;
  SourceLocation location;
};

struct CaseWhen {
  SqlTemplate sql;
  std::string label;  // a literal label; emitted as a bound parameter
};

struct Dimension {
  std::string name;
  std::string title;
  std::string short_title;
  std::string description;
  DimensionType type = DimensionType::kString;
  SqlTemplate sql;  // empty only when `case` is given
  std::vector<CaseWhen> case_when;
  std::optional<std::string> case_else;
  bool primary_key = false;
  bool is_public = true;
  std::string format;
  MetaJson meta;
  SourceLocation location;
};

struct Segment {
  std::string name;
  std::string title;
  std::string short_title;
  std::string description;
  SqlTemplate sql;
  bool is_public = true;
  SourceLocation location;
};

struct Join {
  std::string target;  // name of the joined cube
  Relationship relationship = Relationship::kManyToOne;
  SqlTemplate sql;     // the ON condition
  SourceLocation location;
};

// A value in an access policy's row filter: literal text, or a security
// context path ("{ securityContext.tenant_id }" -> "tenant_id") whose value is
// bound per request — never spliced into SQL.
struct PolicyValue {
  bool from_context = false;
  std::string text;  // the literal, or the context path
};

// A row filter of an access policy, in the REST filter grammar.
struct PolicyFilter {
  enum class Kind { kLeaf, kAnd, kOr };
  Kind kind = Kind::kLeaf;
  std::string member;  // qualified "Cube.member"
  std::string op;      // operator name as written; checked by the policy stage
  std::vector<PolicyValue> values;
  std::vector<PolicyFilter> children;  // kAnd / kOr
  SourceLocation location;
};

// One entry of a cube's `access_policy` (Cube 1.x syntax).
struct AccessPolicy {
  std::vector<std::string> roles;       // role / roles / group / groups; "*" = everyone
  std::vector<std::string> conditions;  // context paths that must all be truthy
  bool has_member_level = false;        // absent: every member
  bool includes_all = false;
  std::vector<std::string> includes;    // member names of this cube
  bool excludes_all = false;
  std::vector<std::string> excludes;
  bool has_row_level = false;           // absent: every row
  bool allow_all = false;
  std::vector<PolicyFilter> filters;    // combined with AND
  SourceLocation location;
};

struct RefreshKey {
  int64_t every_seconds = 0;  // 0: use the default (10 s, as Cube)
  SqlTemplate sql;            // optional `refresh_key: sql:`
};

struct Cube {
  std::string name;
  std::string title;
  std::string description;
  SqlTemplate sql;        // `sql:` or, for `sql_table: x`, a template "SELECT * FROM x"
  std::string sql_table;  // as written, if given
  bool is_public = true;
  MetaJson meta;
  RefreshKey refresh_key;
  std::vector<Measure> measures;
  std::vector<Dimension> dimensions;
  std::vector<Segment> segments;
  std::vector<Join> joins;
  std::vector<AccessPolicy> access_policies;  // empty: open to everyone
  SourceLocation location;

  const Measure* FindMeasure(std::string_view n) const;
  const Dimension* FindDimension(std::string_view n) const;
  const Segment* FindSegment(std::string_view n) const;
  // The primary-key dimensions, in declaration order.
  std::vector<const Dimension*> PrimaryKeys() const;
};

// One problem found while loading; `tessera validate` prints all of them.
struct ModelError {
  SourceLocation location;
  std::string member;  // "Orders.total", or the cube, or empty for file-level errors
  std::string message;
  std::string ToString() const;  // "model/orders.yml:12: Orders.total: unknown type 'summ'"
};

class CompiledModel {
 public:
  explicit CompiledModel(std::vector<Cube> cubes);

  const std::vector<Cube>& cubes() const { return cubes_; }
  const Cube* FindCube(std::string_view name) const;

  // The joins declared on `from` (outgoing edges of the join graph).
  // The SQL compiler finds paths over these edges.
  const std::vector<Join>& JoinsOf(const Cube& from) const { return from.joins; }

 private:
  std::vector<Cube> cubes_;
  std::unordered_map<std::string, size_t> by_name_;
};

using CompiledModelPtr = std::shared_ptr<const CompiledModel>;

// The result of loading: either a model, or every error found.
struct LoadResult {
  CompiledModelPtr model;          // null when errors is not empty
  std::vector<ModelError> errors;
};

// Reads every *.yml / *.yaml file under `dir` (recursively, sorted by path).
LoadResult LoadModelDirectory(const std::string& dir);

// The base model plus a tenant's overlay directory, whose files may only add
// cubes (a cube defined in both is an error, so an overlay cannot replace a
// base cube or weaken its access policies). Overlay files are named
// "<overlay_label>/<path>" in errors.
LoadResult LoadModelWithOverlay(const std::string& base_dir, const std::string& overlay_dir,
                                const std::string& overlay_label);

// Loads from in-memory files (name -> YAML text); used by tests and fuzzing.
LoadResult LoadModelFiles(const std::map<std::string, std::string>& files);

}  // namespace tessera::model
