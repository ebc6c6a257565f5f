#pragma once
// Helpers shared by the model tests: load YAML text and look at the result.
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/compiled_model.h"

namespace tessera::model::testing {

inline LoadResult LoadOne(const std::string& yaml, const std::string& file = "m.yml") {
  return LoadModelFiles({{file, yaml}});
}

inline std::vector<std::string> ErrorStrings(const LoadResult& r) {
  std::vector<std::string> out;
  for (const ModelError& e : r.errors) out.push_back(e.ToString());
  return out;
}

// Loads text that must be valid and returns the model.
inline CompiledModelPtr MustLoad(const std::map<std::string, std::string>& files) {
  LoadResult r = LoadModelFiles(files);
  EXPECT_THAT(ErrorStrings(r), ::testing::IsEmpty());
  return r.model;
}

inline CompiledModelPtr MustLoad(const std::string& yaml) { return MustLoad({{"m.yml", yaml}}); }

}  // namespace tessera::model::testing
