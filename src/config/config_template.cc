#include "config/config_template.h"

#include <sstream>

#include "config/setting_catalog.h"

namespace tessera::config {
namespace {

std::string YamlValue(const std::string& value) {
  // Defaults are simple words and numbers; only the empty ones need quotes.
  return value.empty() ? "\"\"" : value;
}

void WriteSetting(std::ostringstream& out, const SettingSpec& spec, const Settings& defaults,
                  std::string_view indent, std::string_view key) {
  std::string line = std::string(indent) + std::string(key) + ": " + YamlValue(spec.show(defaults));
  if (line.size() < 36) line.resize(36, ' ');
  out << "# " << line << "  # " << spec.env_var << ": " << spec.summary << "\n";
}

}  // namespace

std::string CommentedConfigTemplate() {
  const Settings defaults;
  std::ostringstream out;
  out << "## Tessera configuration. Every value below is the built-in default;\n"
      << "## uncomment a line to change it. Precedence, lowest first:\n"
      << "## defaults < this file < .env < environment variables.\n"
      << "## Unknown keys are errors. See docs/configuration.md.\n";
  std::string_view section;  // the mapping being written, "" at top level
  for (const SettingSpec& spec : SettingCatalog()) {
    const std::string_view key = spec.config_key;
    const size_t dot = key.find('.');
    const std::string_view key_section = dot == std::string_view::npos ? "" : key.substr(0, dot);
    if (key_section != section) {
      out << "#\n";
      if (!key_section.empty()) out << "# " << key_section << ":\n";
      section = key_section;
    }
    if (section.empty()) {
      WriteSetting(out, spec, defaults, "", key);
    } else {
      WriteSetting(out, spec, defaults, "  ", key.substr(dot + 1));
    }
  }
  return out.str();
}

}  // namespace tessera::config
