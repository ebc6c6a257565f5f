// `tenancy:` in tessera.yaml, read into TenancyConfig with file and line for
// every problem. Patterns are compiled here so a bad one stops start-up.
#include <regex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#include "model/config_section.h"
#include "model/error_sink.h"
#include "model/yaml_fields.h"
#include "tenancy/tenancy_config.h"

namespace tessera::tenancy {
namespace {

constexpr absl::string_view kTenancyKeys[] = {"claim",        "id_pattern",       "allowed",     "data_source",
                                              "model_overlay", "max_tenants",      "max_open_sources",
                                              "idle_seconds"};
constexpr absl::string_view kSourceKeys[] = {"type", "file", "database", "schema", "schema_pattern"};

class TenancyReader {
 public:
  explicit TenancyReader(model::ErrorSink& sink) : sink_(sink) {}

  std::optional<TenancyConfig> Read(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink_.Add(node, "", "'tenancy' must be a mapping");
      return std::nullopt;
    }
    size_t errors = sink_.count();
    model::Fields f = model::ReadFields(node, kTenancyKeys, {}, sink_, "tenancy");
    TenancyConfig c;
    model::SourceLocation at = sink_.Locate(node);
    c.label = absl::StrCat(at.file, ":", at.line);
    if (std::optional<std::string> claim = model::StringField(f, "claim", sink_, "tenancy"); claim && !claim->empty()) {
      c.claim = *claim;
    } else {
      sink_.Add(node, "tenancy", "'claim' names the claim that holds the tenant id (a dotted path)");
    }
    if (std::optional<std::string> p = model::StringField(f, "id_pattern", sink_, "tenancy")) {
      if (CheckPattern(f.at("id_pattern").value, *p)) c.id_pattern = *p;
    }
    if (const model::Field* allowed = model::FindField(f, "allowed")) {
      if (!allowed->value.IsSequence()) {
        sink_.Add(allowed->value, "tenancy", "'allowed' is a list of tenant ids");
      } else {
        for (const YAML::Node& v : allowed->value) {
          if (v.IsScalar() && !v.Scalar().empty()) {
            c.allowed.push_back(v.Scalar());
          } else {
            sink_.Add(v, "tenancy", "'allowed' is a list of tenant ids");
          }
        }
      }
    }
    if (const model::Field* source = model::FindField(f, "data_source")) c.source = ReadSource(source->value);
    if (std::optional<std::string> overlay = model::StringField(f, "model_overlay", sink_, "tenancy")) {
      if (overlay->find("{tenant}") == std::string::npos) {
        sink_.Add(f.at("model_overlay").value, "tenancy", "'model_overlay' must contain {tenant}");
      } else {
        c.model_overlay = *overlay;
      }
    }
    c.max_tenants = Count(f, "max_tenants", c.max_tenants);
    c.max_open_sources = Count(f, "max_open_sources", c.max_open_sources);
    c.idle_timeout = std::chrono::seconds(Count(f, "idle_seconds", static_cast<size_t>(c.idle_timeout.count())));
    if (sink_.count() != errors) return std::nullopt;
    return c;
  }

 private:
  std::optional<TenantSourceTemplate> ReadSource(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink_.Add(node, "tenancy", "'data_source' must be a mapping");
      return std::nullopt;
    }
    model::Fields f = model::ReadFields(node, kSourceKeys, {}, sink_, "tenancy.data_source");
    TenantSourceTemplate s;
    s.type = model::StringField(f, "type", sink_, "tenancy.data_source").value_or("");
    s.file = model::StringField(f, "file", sink_, "tenancy.data_source").value_or("");
    s.database = model::StringField(f, "database", sink_, "tenancy.data_source").value_or("");
    s.schema = model::StringField(f, "schema", sink_, "tenancy.data_source").value_or("");
    if (std::optional<std::string> p = model::StringField(f, "schema_pattern", sink_, "tenancy.data_source")) {
      if (CheckPattern(f.at("schema_pattern").value, *p)) s.schema_pattern = *p;
    }
    auto has_tenant = [](const std::string& t) { return t.find("{tenant}") != std::string::npos; };
    if (s.type == "sqlite") {
      if (!has_tenant(s.file)) sink_.Add(node, "tenancy.data_source", "sqlite: 'file' is a path containing {tenant}");
      if (!s.database.empty() || !s.schema.empty()) {
        sink_.Add(node, "tenancy.data_source", "sqlite: 'database' and 'schema' are for postgres");
      }
    } else if (s.type == "postgres") {
      if (!s.file.empty()) sink_.Add(node, "tenancy.data_source", "postgres: 'file' is for sqlite");
      if (!has_tenant(s.database) && !has_tenant(s.schema)) {
        sink_.Add(node, "tenancy.data_source", "postgres: 'database' or 'schema' must contain {tenant}");
      }
    } else {
      sink_.Add(node, "tenancy.data_source", "'type' is sqlite or postgres");
    }
    return s;
  }

  bool CheckPattern(const YAML::Node& at, const std::string& pattern) {
    try {
      std::regex compiled(pattern, std::regex::ECMAScript);
      (void)compiled;
      return true;
    } catch (const std::regex_error& e) {
      sink_.Add(at, "tenancy", absl::StrCat("invalid pattern: ", e.what()));
      return false;
    }
  }

  size_t Count(const model::Fields& f, absl::string_view key, size_t fallback) {
    std::optional<std::string> text = model::StringField(f, key, sink_, "tenancy");
    if (!text) return fallback;
    uint64_t n = 0;
    if (!absl::SimpleAtoi(*text, &n) || n == 0 || n > 1000000) {
      sink_.Add(model::FindField(f, key)->value, "tenancy", absl::StrCat("'", std::string(key), "' is a whole number from 1 to 1000000"));
      return fallback;
    }
    return static_cast<size_t>(n);
  }

  model::ErrorSink& sink_;
};

}  // namespace

std::string ExpandTenant(std::string_view text, std::string_view id) {
  std::string out;
  constexpr std::string_view kMark = "{tenant}";
  size_t pos = 0;
  while (true) {
    size_t at = text.find(kMark, pos);
    out.append(text.substr(pos, at == std::string_view::npos ? std::string_view::npos : at - pos));
    if (at == std::string_view::npos) break;
    out.append(id);
    pos = at + kMark.size();
  }
  return out;
}

absl::StatusOr<std::optional<TenancyConfig>> ReadTenancyConfig(std::string_view yaml_text, const std::string& label) {
  std::optional<TenancyConfig> out;
  absl::Status status =
      model::ReadConfigSection(yaml_text, label, "tenancy", [&](const YAML::Node& section, model::ErrorSink& sink) {
        out = TenancyReader(sink).Read(section);
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tessera::tenancy
