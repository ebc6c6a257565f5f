// `access_policy:` on a cube (Cube 1.x syntax), read into AccessPolicy. The
// structure and the member names are checked here, with file and line;
// operators and values are checked by the policy stage when it compiles the
// row filters (src/policy), which knows the filter grammar.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "model/context_reference.h"
#include "model/member_readers.h"

namespace tessera::model {
namespace {

constexpr absl::string_view kPolicyKeys[] = {"role", "roles", "group", "groups",
                                             "conditions", "member_level", "row_level"};
constexpr absl::string_view kMemberLevelKeys[] = {"includes", "excludes"};
constexpr absl::string_view kRowLevelKeys[] = {"filters", "allow_all"};
constexpr absl::string_view kFilterKeys[] = {"member", "operator", "values", "and", "or"};

std::optional<std::string> Scalar(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

class PolicyReader {
 public:
  PolicyReader(Cube& cube, CubeScope& scope) : cube_(cube), scope_(scope) {}

  std::optional<AccessPolicy> Read(const YAML::Node& node) {
    if (!node.IsMap()) {
      Error(node, "each access policy must be a mapping");
      return std::nullopt;
    }
    Fields fields = ReadFields(node, kPolicyKeys, {}, scope_.sink, cube_.name);
    AccessPolicy p;
    p.location = scope_.sink.Locate(node);
    for (absl::string_view key : {"role", "group"}) {
      if (const Field* f = FindField(fields, key)) {
        if (std::optional<std::string> r = Scalar(f->value); r && !r->empty()) {
          p.roles.push_back(*r);
        } else {
          Error(f->value, absl::StrCat("'", key, "' must be a role name (or \"*\")"));
        }
      }
    }
    for (absl::string_view key : {"roles", "groups"}) {
      if (const Field* f = FindField(fields, key)) ReadNames(f->value, key, p.roles);
    }
    if (p.roles.empty()) {
      Error(node, "an access policy needs 'role' (or 'roles', 'group', 'groups'); \"*\" means everyone");
    }
    if (const Field* f = FindField(fields, "conditions")) ReadConditions(f->value, p);
    if (const Field* f = FindField(fields, "member_level")) ReadMemberLevel(f->value, p);
    if (const Field* f = FindField(fields, "row_level")) ReadRowLevel(f->value, p);
    return p;
  }

 private:
  void Error(const YAML::Node& at, std::string message) {
    scope_.sink.Add(at, cube_.name, absl::StrCat("access_policy: ", message));
  }

  void ReadNames(const YAML::Node& list, absl::string_view key, std::vector<std::string>& out) {
    if (!list.IsSequence() || list.size() == 0) {
      Error(list, absl::StrCat("'", key, "' must be a non-empty list"));
      return;
    }
    for (const YAML::Node& item : list) {
      std::optional<std::string> name = Scalar(item);
      if (!name || name->empty()) {
        Error(item, absl::StrCat("each entry of '", key, "' must be a name"));
        continue;
      }
      out.push_back(*name);
    }
  }

  void ReadConditions(const YAML::Node& list, AccessPolicy& p) {
    if (!list.IsSequence()) {
      Error(list, "'conditions' must be a list of {if: ...}");
      return;
    }
    for (const YAML::Node& item : list) {
      static constexpr absl::string_view kConditionKeys[] = {"if"};
      if (!item.IsMap()) {
        Error(item, "each condition must be a mapping with 'if'");
        continue;
      }
      Fields f = ReadFields(item, kConditionKeys, {}, scope_.sink, cube_.name);
      const Field* cond = FindField(f, "if");
      std::optional<std::string> text = cond ? Scalar(cond->value) : std::nullopt;
      std::optional<std::string> path = text ? ContextPath(*text) : std::nullopt;
      if (!path) {
        Error(cond ? cond->value : item,
              "a condition is '{ securityContext.path }': the policy applies when that claim is "
              "truthy (JavaScript expressions are not evaluated)");
        continue;
      }
      p.conditions.push_back(*path);
    }
  }

  // A member of this cube by its short or qualified name; "" when unknown.
  std::string ShortName(const YAML::Node& at, const std::string& name, bool dimensions_only) {
    std::string member = name;
    std::string prefix = cube_.name + ".";
    if (member.rfind(prefix, 0) == 0) member = member.substr(prefix.size());
    if (member.find('.') != std::string::npos) {
      Error(at, absl::StrCat("'", name, "' is not a member of ", cube_.name,
                             " (a policy can only name its own cube's members)"));
      return "";
    }
    bool is_dimension = cube_.FindDimension(member) != nullptr;
    bool known = is_dimension || cube_.FindMeasure(member) != nullptr || cube_.FindSegment(member) != nullptr;
    if (!known) {
      Error(at, absl::StrCat("unknown member '", name, "'"));
      return "";
    }
    if (dimensions_only && !is_dimension) {
      Error(at, absl::StrCat("row filters apply to dimensions; '", name, "' is not one"));
      return "";
    }
    return member;
  }

  void ReadMemberList(const YAML::Node& value, absl::string_view key, bool& all,
                      std::vector<std::string>& names) {
    if (std::optional<std::string> s = Scalar(value); s && *s == "*") {
      all = true;
      return;
    }
    if (!value.IsSequence()) {
      Error(value, absl::StrCat("'", key, "' must be \"*\" or a list of members"));
      return;
    }
    for (const YAML::Node& item : value) {
      std::optional<std::string> name = Scalar(item);
      if (!name) {
        Error(item, absl::StrCat("each entry of '", key, "' must be a member name"));
        continue;
      }
      if (*name == "*") {
        all = true;
        continue;
      }
      std::string member = ShortName(item, *name, false);
      if (!member.empty()) names.push_back(member);
    }
  }

  void ReadMemberLevel(const YAML::Node& node, AccessPolicy& p) {
    if (!node.IsMap()) {
      Error(node, "'member_level' must be a mapping with 'includes' and/or 'excludes'");
      return;
    }
    Fields f = ReadFields(node, kMemberLevelKeys, {}, scope_.sink, cube_.name);
    p.has_member_level = true;
    const Field* includes = FindField(f, "includes");
    if (includes != nullptr) {
      ReadMemberList(includes->value, "includes", p.includes_all, p.includes);
    } else {
      p.includes_all = true;  // only excludes: everything else is included
    }
    if (const Field* excludes = FindField(f, "excludes")) {
      ReadMemberList(excludes->value, "excludes", p.excludes_all, p.excludes);
    }
  }

  void ReadRowLevel(const YAML::Node& node, AccessPolicy& p) {
    if (!node.IsMap()) {
      Error(node, "'row_level' must be a mapping with 'filters' or 'allow_all'");
      return;
    }
    Fields f = ReadFields(node, kRowLevelKeys, {}, scope_.sink, cube_.name);
    p.has_row_level = true;
    p.allow_all = BoolField(f, "allow_all", scope_.sink, cube_.name).value_or(false);
    if (const Field* filters = FindField(f, "filters")) {
      if (p.allow_all) Error(filters->key, "'allow_all: true' and 'filters' contradict each other");
      if (!filters->value.IsSequence()) {
        Error(filters->value, "'filters' must be a list");
        return;
      }
      for (const YAML::Node& item : filters->value) {
        if (std::optional<PolicyFilter> filter = ReadFilter(item)) p.filters.push_back(*std::move(filter));
      }
    }
  }

  std::optional<PolicyFilter> ReadFilter(const YAML::Node& node) {
    if (!node.IsMap()) {
      Error(node, "each filter must be a mapping");
      return std::nullopt;
    }
    Fields f = ReadFields(node, kFilterKeys, {}, scope_.sink, cube_.name);
    PolicyFilter filter;
    filter.location = scope_.sink.Locate(node);
    const Field* and_field = FindField(f, "and");
    const Field* or_field = FindField(f, "or");
    if (and_field != nullptr || or_field != nullptr) {
      if ((and_field != nullptr && or_field != nullptr) || FindField(f, "member") != nullptr) {
        Error(node, "a filter is either a member filter or one 'and' / 'or' group");
        return std::nullopt;
      }
      const Field* group = and_field != nullptr ? and_field : or_field;
      filter.kind = and_field != nullptr ? PolicyFilter::Kind::kAnd : PolicyFilter::Kind::kOr;
      if (!group->value.IsSequence() || group->value.size() == 0) {
        Error(group->value, "'and' / 'or' must be a non-empty list of filters");
        return std::nullopt;
      }
      for (const YAML::Node& item : group->value) {
        std::optional<PolicyFilter> child = ReadFilter(item);
        if (!child) return std::nullopt;
        filter.children.push_back(*std::move(child));
      }
      return filter;
    }
    const Field* member = FindField(f, "member");
    const Field* op = FindField(f, "operator");
    std::optional<std::string> member_name = member ? Scalar(member->value) : std::nullopt;
    std::optional<std::string> op_name = op ? Scalar(op->value) : std::nullopt;
    if (!member_name || !op_name) {
      Error(node, "a row filter needs 'member' and 'operator'");
      return std::nullopt;
    }
    std::string short_name = ShortName(member->value, *member_name, true);
    if (short_name.empty()) return std::nullopt;
    filter.member = absl::StrCat(cube_.name, ".", short_name);
    filter.op = *op_name;
    if (const Field* values = FindField(f, "values")) {
      auto add = [&](const YAML::Node& v) {
        std::optional<std::string> text = Scalar(v);
        if (!text) {
          Error(v, "filter values must be scalars");
          return;
        }
        if (std::optional<std::string> path = ContextPath(*text)) {
          filter.values.push_back(PolicyValue{true, *path});
        } else if (MentionsContext(*text)) {
          Error(v, "a security context value must be the whole value: \"{ securityContext.path }\"");
        } else {
          filter.values.push_back(PolicyValue{false, *text});
        }
      };
      if (values->value.IsSequence()) {
        for (const YAML::Node& v : values->value) add(v);
      } else {
        add(values->value);  // `values: "{ securityContext.list }"`: the claim's values
      }
    }
    return filter;
  }

  Cube& cube_;
  CubeScope& scope_;
};

}  // namespace

void ReadAccessPolicies(const Field& field, Cube& cube, CubeScope& scope) {
  if (field.value.IsNull()) return;
  if (!field.value.IsSequence()) {
    scope.sink.Add(field.value, cube.name, "'access_policy' must be a list of policies");
    return;
  }
  PolicyReader reader(cube, scope);
  for (const YAML::Node& item : field.value) {
    if (std::optional<AccessPolicy> p = reader.Read(item)) cube.access_policies.push_back(*std::move(p));
  }
}

}  // namespace tessera::model
