// `query_rewrite:` in tessera.yaml, read into RewriteRules. The structure is
// checked here with file and line; members, operators and values against the
// model by CompiledRewrite::Compile.
//
//   query_rewrite:
//     - name: tenant isolation
//       filter: { dimension: tenant_id, operator: equals, values: ["{ securityContext.tenant_id }"] }
//       except_roles: [admin]
//     - name: orders need a date range
//       require: { member: Orders.createdAt }
#include <set>

#include "absl/strings/str_cat.h"

#include "model/config_section.h"
#include "model/context_reference.h"
#include "model/error_sink.h"
#include "model/yaml_fields.h"
#include "policy/query_rewrite.h"

namespace tessera::policy {
namespace {

constexpr absl::string_view kRuleKeys[] = {"name", "filter", "require", "roles", "except_roles", "if"};
constexpr absl::string_view kFilterKeys[] = {"dimension", "member", "operator", "values"};
constexpr absl::string_view kRequireKeys[] = {"dimension", "member"};

class RuleReader {
 public:
  explicit RuleReader(model::ErrorSink& sink) : sink_(sink) {}

  std::optional<RewriteRule> Read(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink_.Add(node, "", "each query_rewrite rule must be a mapping");
      return std::nullopt;
    }
    size_t errors = sink_.count();
    model::Fields fields = model::ReadFields(node, kRuleKeys, {}, sink_, "query_rewrite");
    RewriteRule rule;
    rule.location = sink_.Locate(node);
    std::optional<std::string> name = model::StringField(fields, "name", sink_, "query_rewrite");
    if (!name || name->empty()) {
      sink_.Add(node, "query_rewrite", "every rule needs a 'name'");
    } else if (!names_.insert(*name).second) {
      sink_.Add(fields.at("name").value, "query_rewrite", absl::StrCat("duplicate rule name '", *name, "'"));
    } else {
      rule.name = *name;
    }
    const model::Field* filter = model::FindField(fields, "filter");
    const model::Field* require = model::FindField(fields, "require");
    if ((filter == nullptr) == (require == nullptr)) {
      sink_.Add(node, "query_rewrite", "a rule has exactly one of 'filter' or 'require'");
    } else if (filter != nullptr) {
      rule.kind = RewriteRule::Kind::kFilter;
      ReadTarget(filter->value, kFilterKeys, rule);
    } else {
      rule.kind = RewriteRule::Kind::kRequire;
      ReadTarget(require->value, kRequireKeys, rule);
    }
    rule.roles = Names(fields, "roles");
    rule.except_roles = Names(fields, "except_roles");
    if (std::optional<std::string> cond = model::StringField(fields, "if", sink_, "query_rewrite")) {
      if (std::optional<std::string> path = model::ContextPath(*cond)) {
        rule.conditions.push_back(*path);
      } else {
        sink_.Add(fields.at("if").value, "query_rewrite", "'if' is \"{ securityContext.path }\": the rule applies when that claim is truthy");
      }
    }
    if (sink_.count() != errors) return std::nullopt;
    return rule;
  }

 private:
  template <size_t N>
  void ReadTarget(const YAML::Node& node, const absl::string_view (&keys)[N], RewriteRule& rule) {
    if (!node.IsMap()) {
      sink_.Add(node, "query_rewrite", "'filter' and 'require' are mappings");
      return;
    }
    model::Fields f = model::ReadFields(node, keys, {}, sink_, "query_rewrite");
    std::optional<std::string> dimension = model::StringField(f, "dimension", sink_, "query_rewrite");
    std::optional<std::string> member = model::StringField(f, "member", sink_, "query_rewrite");
    if (dimension.has_value() == member.has_value()) {
      sink_.Add(node, "query_rewrite", "name exactly one of 'dimension' (every cube that has it) or 'member' (Cube.dimension)");
      return;
    }
    if (dimension) {
      if (dimension->empty() || dimension->find('.') != std::string::npos) {
        sink_.Add(f.at("dimension").value, "query_rewrite", "'dimension' is a bare name such as tenant_id; use 'member' for Cube.dimension");
        return;
      }
      rule.dimension = *dimension;
    } else {
      if (member->find('.') == std::string::npos) {
        sink_.Add(f.at("member").value, "query_rewrite", "'member' is Cube.dimension; use 'dimension' for a bare name");
        return;
      }
      rule.member = *member;
    }
    if (rule.kind == RewriteRule::Kind::kRequire) return;
    std::optional<std::string> op = model::StringField(f, "operator", sink_, "query_rewrite");
    if (!op) {
      sink_.Add(node, "query_rewrite", "a filter needs an 'operator'");
      return;
    }
    rule.op = *op;
    const model::Field* values = model::FindField(f, "values");
    if (values == nullptr) return;
    auto add = [&](const YAML::Node& v) {
      if (!v.IsScalar()) {
        sink_.Add(v, "query_rewrite", "filter values must be scalars");
        return;
      }
      if (std::optional<std::string> path = model::ContextPath(v.Scalar())) {
        rule.values.push_back(model::PolicyValue{true, *path});
      } else if (model::MentionsContext(v.Scalar())) {
        sink_.Add(v, "query_rewrite", "a security context value must be the whole value: \"{ securityContext.path }\"");
      } else {
        rule.values.push_back(model::PolicyValue{false, v.Scalar()});
      }
    };
    if (values->value.IsSequence()) {
      for (const YAML::Node& v : values->value) add(v);
    } else {
      add(values->value);  // `values: "{ securityContext.list }"`: the claim's values
    }
  }

  std::vector<std::string> Names(const model::Fields& fields, absl::string_view key) {
    std::vector<std::string> out;
    const model::Field* f = model::FindField(fields, key);
    if (f == nullptr) return out;
    auto add = [&](const YAML::Node& v) {
      if (v.IsScalar() && !v.Scalar().empty()) {
        out.push_back(v.Scalar());
      } else {
        sink_.Add(v, "query_rewrite", absl::StrCat("'", std::string(key), "' lists role names"));
      }
    };
    if (f->value.IsSequence()) {
      for (const YAML::Node& v : f->value) add(v);
    } else {
      add(f->value);
    }
    return out;
  }

  model::ErrorSink& sink_;
  std::set<std::string> names_;
};

}  // namespace

absl::StatusOr<std::vector<RewriteRule>> ReadRewriteRules(std::string_view yaml_text, const std::string& label) {
  std::vector<RewriteRule> rules;
  absl::Status status =
      model::ReadConfigSection(yaml_text, label, "query_rewrite", [&](const YAML::Node& section, model::ErrorSink& sink) {
        if (!section.IsSequence()) {
          sink.Add(section, "", "'query_rewrite' must be a list of rules");
          return;
        }
        RuleReader reader(sink);
        for (const YAML::Node& item : section) {
          if (std::optional<RewriteRule> rule = reader.Read(item)) rules.push_back(*std::move(rule));
        }
      });
  if (!status.ok()) return status;
  return rules;
}

}  // namespace tessera::policy
