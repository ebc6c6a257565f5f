#pragma once
// A generated cube before it is written out: everything the YAML file will
// say, already named, typed and checked for name clashes.
#include <string>
#include <vector>

namespace tessera::scaffold {

struct DimensionDraft {
  std::string name;  // camelCase member name
  std::string column;
  std::string sql;   // "{CUBE}.created_at"
  std::string type;  // string | number | time | boolean
  bool primary_key = false;
};

struct MeasureDraft {
  std::string name;
  std::string column;                      // empty for count
  std::string sql;                         // empty for count
  std::string type;                        // count | sum
  std::vector<std::string> drill_members;  // member names of this cube
};

struct JoinDraft {
  std::string cube;  // the joined cube
  std::string relationship = "many_to_one";
  std::string sql;   // "{CUBE}.user_id = {Users.id}"
};

struct CubeDraft {
  std::string name;          // "LineItems"
  std::string file_stem;     // "line_items": the file is <file_stem>.yml
  std::string table;         // "line_items", or "sales.line_items" outside the default schema
  std::string sql_table;     // as written in the model (quoted when needed)
  std::vector<JoinDraft> joins;
  std::vector<MeasureDraft> measures;
  std::vector<DimensionDraft> dimensions;
  std::vector<std::string> notes;  // written as comments: what was left out and why
};

}  // namespace tessera::scaffold
