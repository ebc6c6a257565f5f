#pragma once
// A top-level section of tessera.yaml that holds rules rather than settings
// (`query_rewrite:`, `tenancy:`), read with the model's YAML readers so that
// its errors have the same form: "tessera.yaml:12: member: message".
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

#include "model/error_sink.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

// Calls `read` with the section `key` of the document when it is present and
// not null. Every error `read` (or the YAML parser) reports is returned, one
// per line, as InvalidArgument.
absl::Status ReadConfigSection(std::string_view yaml_text, const std::string& label, std::string_view key,
                               const std::function<void(const YAML::Node& section, ErrorSink& sink)>& read);

}  // namespace tessera::model
