#pragma once
// A SQL snippet from the model, split at compile time into literal text and
// references, so the SQL compiler never re-scans strings and a security
// context value can only ever become a bound parameter.
#include <string>
#include <vector>

namespace tessera::model {

struct SqlPart {
  enum class Kind {
    kText,         // literal SQL text from the model author
    kCubeAlias,    // {CUBE} or {TABLE}: the alias of the owning cube
    kMember,       // {member} or {Cube.member}: expands to that member's SQL; a bare
                   // {Users} naming no member of the owning cube but another cube
                   // means that cube's alias (Cube's `${Users}.id`)
    kContextValue  // {securityContext.a.b} / {SECURITY_CONTEXT.a.b}: a bound parameter
  };
  Kind kind = Kind::kText;
  std::string text;    // kText: the SQL; kContextValue: dotted path "a.b"
  std::string cube;    // kMember: the cube (resolved, never empty after compile)
  std::string member;  // kMember: the member name within that cube
};

struct SqlTemplate {
  std::string source;  // as written in the YAML, for messages
  std::vector<SqlPart> parts;
  bool empty() const { return source.empty(); }
};

}  // namespace tessera::model
