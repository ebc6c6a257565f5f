#pragma once
// Collects bound parameters while SQL text is built, handing back the
// dialect's placeholder for each. The only way the compiler emits a value.
#include <string>
#include <utility>

#include "sql/dialect.h"
#include "sql/param.h"

namespace tessera::sql {

class ParamList {
 public:
  explicit ParamList(const Dialect& dialect) : dialect_(dialect) {}

  std::string Add(Param::Type type, std::string text) {
    params_.push_back(Param{type, std::move(text)});
    return dialect_.Placeholder(static_cast<int>(params_.size()));
  }
  std::string AddText(std::string text) { return Add(Param::Type::kText, std::move(text)); }

  const Params& params() const { return params_; }
  Params& mutable_params() { return params_; }
  size_t size() const { return params_.size(); }

 private:
  const Dialect& dialect_;
  Params params_;
};

}  // namespace tessera::sql
