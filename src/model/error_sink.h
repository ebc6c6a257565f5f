#pragma once
// Collects ModelErrors for one model file, so every reader reports problems
// the same way (file relative to the model folder, 1-based line) and loading
// goes on to find the next problem instead of stopping at the first.
#include <string>
#include <vector>

#include "model/compiled_model.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

class ErrorSink {
 public:
  ErrorSink(std::string file, std::vector<ModelError>* errors)
      : file_(std::move(file)), errors_(errors) {}

  const std::string& file() const { return file_; }

  // Where `node` starts; line 0 when yaml-cpp has no position for it.
  SourceLocation Locate(const YAML::Node& node) const;

  void Add(const YAML::Node& at, std::string member, std::string message);
  void AddAt(const SourceLocation& at, std::string member, std::string message);

  size_t count() const { return errors_->size(); }

 private:
  std::string file_;
  std::vector<ModelError>* errors_;
};

}  // namespace tessera::model
