#include "model/meta_json.h"

#include <cmath>
#include <regex>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "boost/json/serialize.hpp"
#include "boost/json/value.hpp"

namespace tessera::model {

namespace {

boost::json::value PlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (s.size() < 400) {  // longer text is never a number worth typing
    if (std::regex_match(s, kInteger)) {
      int64_t i = 0;
      if (absl::SimpleAtoi(s, &i)) return i;
    }
    if (std::regex_match(s, kFloat)) {
      double d = 0;
      if (absl::SimpleAtod(s, &d) && std::isfinite(d)) return d;
    }
  }
  return boost::json::string(s);
}

class MetaConverter {
 public:
  absl::StatusOr<boost::json::value> Convert(const YAML::Node& node) {
    if (++nodes_ > kMaxMetaNodes) {
      return absl::InvalidArgumentError("meta is too large");
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar:
        bytes_ += node.Scalar().size();
        if (bytes_ > kMaxMetaBytes) return absl::InvalidArgumentError("meta is too large");
        // yaml-cpp tags quoted and block scalars "!" and plain ones "?".
        if (node.Tag() == "?") return PlainScalar(node.Scalar());
        return boost::json::string(node.Scalar());
      case YAML::NodeType::Sequence: {
        boost::json::array array;
        for (const YAML::Node& child : node) {
          absl::StatusOr<boost::json::value> v = Convert(child);
          if (!v.ok()) return v.status();
          array.push_back(*std::move(v));
        }
        return array;
      }
      case YAML::NodeType::Map: {
        boost::json::object object;
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) {
            return absl::InvalidArgumentError("meta keys must be strings");
          }
          bytes_ += kv.first.Scalar().size();
          absl::StatusOr<boost::json::value> v = Convert(kv.second);
          if (!v.ok()) return v.status();
          object[kv.first.Scalar()] = *std::move(v);
        }
        return object;
      }
    }
    return nullptr;
  }

 private:
  int nodes_ = 0;
  size_t bytes_ = 0;
};

}  // namespace

absl::StatusOr<std::string> MetaToJson(const YAML::Node& node) {
  MetaConverter converter;
  absl::StatusOr<boost::json::value> value = converter.Convert(node);
  if (!value.ok()) return value.status();
  return boost::json::serialize(*value);
}

}  // namespace tessera::model
