#include "config/config_file.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "yaml-cpp/yaml.h"

namespace tessera::config {
namespace {

class ConfigFileReader {
 public:
  explicit ConfigFileReader(const std::string& label) : label_(label) {}

  void ReadMapping(const YAML::Node& mapping, const std::string& prefix) {
    std::set<std::string> seen;
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
      // Copies: the iterator yields a temporary pair, and nodes are handles.
      const YAML::Node key_node = it->first;
      const YAML::Node value = it->second;
      const int key_line = LineOf(key_node);
      if (!key_node.IsScalar()) {
        Error(key_line, "keys must be plain names");
        continue;
      }
      const std::string key = prefix.empty() ? key_node.Scalar()
                                             : absl::StrCat(prefix, ".", key_node.Scalar());
      if (!seen.insert(key).second) {
        Error(key_line, absl::StrCat("duplicate key '", key, "'"));
        continue;
      }
      if (prefix.empty() && IsStructuredSection(key)) continue;
      if (prefix.empty() && IsConfigSection(key)) {
        if (value.IsNull()) continue;  // a section whose keys are all commented out
        if (!value.IsMap()) {
          Error(key_line, absl::StrCat("'", key, "' must be a mapping of settings"));
          continue;
        }
        ReadMapping(value, key);
        continue;
      }
      const SettingSpec* spec = FindSettingByConfigKey(key);
      if (spec == nullptr) {
        Error(key_line, absl::StrCat("unknown key '", key, "'"));
        continue;
      }
      if (value.IsNull()) {
        Error(key_line, absl::StrCat(key, ": missing value"));
        continue;
      }
      if (!value.IsScalar()) {
        Error(key_line, absl::StrCat(key, ": expected a single value, not a list or mapping"));
        continue;
      }
      assignments_.push_back({spec, value.Scalar(), LineOf(value)});
    }
  }

  void Error(int line, const std::string& message) {
    errors_.push_back(absl::StrCat(label_, ":", line, ": ", message));
  }

  absl::StatusOr<std::vector<ConfigAssignment>> Result() && {
    if (!errors_.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
    return std::move(assignments_);
  }

 private:
  static int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

  const std::string& label_;
  std::vector<ConfigAssignment> assignments_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<std::vector<ConfigAssignment>> ReadConfigFile(std::string_view yaml_text,
                                                             const std::string& label) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports syntax errors by exception; they stop here as values.
    return absl::InvalidArgumentError(
        absl::StrCat(label, ":", e.mark.line + 1, ": invalid YAML: ", e.msg));
  }
  if (root.IsNull()) return std::vector<ConfigAssignment>{};
  ConfigFileReader reader(label);
  if (!root.IsMap()) {
    reader.Error(root.Mark().line + 1, "expected a mapping of settings at the top level");
    return std::move(reader).Result();
  }
  reader.ReadMapping(root, "");
  return std::move(reader).Result();
}

}  // namespace tessera::config
