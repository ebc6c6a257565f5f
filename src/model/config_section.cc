#include "model/config_section.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "model/yaml_reader.h"

namespace tessera::model {

absl::Status ReadConfigSection(std::string_view yaml_text, const std::string& label, std::string_view key,
                               const std::function<void(const YAML::Node& section, ErrorSink& sink)>& read) {
  std::vector<ModelError> errors;
  ErrorSink sink(label, &errors);
  try {
    std::optional<YAML::Node> doc = ReadYamlDocument(absl::string_view(yaml_text.data(), yaml_text.size()), sink);
    if (doc && doc->IsMap()) {
      const YAML::Node section = (*doc)[std::string(key)];
      if (section && !section.IsNull()) read(section, sink);
    }
  } catch (const YAML::Exception& e) {
    // The readers use non-throwing calls; this keeps a yaml-cpp surprise a value.
    sink.AddAt(SourceLocation{label, e.mark.line + 1}, "", absl::StrCat("YAML error: ", e.msg));
  }
  if (errors.empty()) return absl::OkStatus();
  std::vector<std::string> lines;
  for (const ModelError& e : errors) lines.push_back(e.ToString());
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

}  // namespace tessera::model
