#include "model/error_sink.h"

namespace tessera::model {

SourceLocation ErrorSink::Locate(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  // yaml-cpp counts lines from 0 and uses -1 for nodes without a position.
  return SourceLocation{file_, mark.line >= 0 ? mark.line + 1 : 0};
}

void ErrorSink::Add(const YAML::Node& at, std::string member, std::string message) {
  AddAt(Locate(at), std::move(member), std::move(message));
}

void ErrorSink::AddAt(const SourceLocation& at, std::string member, std::string message) {
  errors_->push_back(ModelError{at, std::move(member), std::move(message)});
}

}  // namespace tessera::model
