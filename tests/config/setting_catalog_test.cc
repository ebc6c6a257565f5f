#include "config/setting_catalog.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "config/config_template.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "config/resolve_settings.h"

namespace tessera::config {
namespace {

TEST(SettingCatalogTest, NamesAreUnique) {
  std::set<std::string_view> env_vars, keys;
  for (const SettingSpec& spec : SettingCatalog()) {
    EXPECT_TRUE(env_vars.insert(spec.env_var).second) << spec.env_var;
    EXPECT_TRUE(keys.insert(spec.config_key).second) << spec.config_key;
    EXPECT_NE(spec.apply, nullptr);
    EXPECT_NE(spec.show, nullptr);
  }
}

TEST(SettingCatalogTest, SecretsAreNotShownInTheTemplate) {
  Settings settings;
  settings.database.password = "pw";
  settings.token.api_secret = "secret";
  settings.token.jwe_key = "jwe-secret";
  for (const SettingSpec& spec : SettingCatalog()) {
    if (spec.secret) {
      EXPECT_EQ(spec.show(settings), "") << spec.env_var;
    }
  }
}

// Uncommenting every line of the template gives a config that means the
// defaults: the template cannot drift from the resolver.
TEST(ConfigTemplateTest, UncommentedTemplateResolvesToDefaults) {
  std::istringstream lines(CommentedConfigTemplate());
  std::string line, uncommented;
  int settings_lines = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("# ", 0) == 0) {
      uncommented += line.substr(2) + "\n";
      ++settings_lines;
    } else if (line.rfind("#", 0) != 0) {
      ADD_FAILURE() << "line is not a comment: " << line;
    }
  }
  // + the section lines "database:", "jwt:", "jwe:", "audit:" and "web:"
  EXPECT_EQ(settings_lines, static_cast<int>(SettingCatalog().size()) + 5);
  absl::StatusOr<Settings> s = ResolveSettingsIn(uncommented, "tessera.yaml", {}, "/p");
  ASSERT_TRUE(s.ok()) << s.status() << "\n" << uncommented;
  const Settings defaults;
  for (const SettingSpec& spec : SettingCatalog()) {
    EXPECT_EQ(spec.show(*s), spec.show(defaults)) << spec.config_key;
  }
}

TEST(ConfigurationDocsTest, EverySettingIsDocumented) {
  std::ifstream in(std::string(TESSERA_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();
  for (const SettingSpec& spec : SettingCatalog()) {
    EXPECT_NE(docs.find(absl::StrCat("`", AsAbsl(spec.env_var), "`")), std::string::npos) << spec.env_var;
    EXPECT_NE(docs.find(absl::StrCat("`", AsAbsl(spec.config_key), "`")), std::string::npos)
        << spec.config_key;
  }
}

}  // namespace
}  // namespace tessera::config
