#include "model/yaml_reader.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "yaml-cpp/eventhandler.h"

namespace tessera::model {

namespace {

// Walks the tree without recursion. Returns an error message, or "" if the
// document is within the depth and size limits. Aliases can make the graph
// cyclic (`&a [*a]`), which the depth limit also catches.
std::string CheckShape(const YAML::Node& root) {
  std::vector<std::pair<YAML::Node, int>> stack;
  stack.emplace_back(root, 1);
  int visits = 0;
  while (!stack.empty()) {
    auto [node, depth] = std::move(stack.back());
    stack.pop_back();
    if (++visits > kMaxYamlNodeVisits) {
      return "document is too large (too many nodes or alias expansions)";
    }
    if (depth > kMaxYamlDepth) {
      return absl::StrCat("document is nested deeper than ", kMaxYamlDepth, " levels");
    }
    if (node.IsSequence()) {
      for (const YAML::Node& child : node) stack.emplace_back(child, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        stack.emplace_back(kv.first, depth + 1);
        stack.emplace_back(kv.second, depth + 1);
      }
    }
  }
  return "";
}

// Receives parser events and keeps only where the last document started;
// used to count documents.
class DiscardEvents : public YAML::EventHandler {
 public:
  YAML::Mark last_document;
  void OnDocumentStart(const YAML::Mark& mark) override { last_document = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::optional<YAML::Node> ReadYamlDocument(absl::string_view text, ErrorSink& sink) {
  const std::string copy(text);
  int documents = 0;
  int second_line = 0;
  YAML::Node doc;
  try {
    // Count documents with a bounded loop instead of YAML::LoadAll: on some
    // malformed input yaml-cpp 0.7 reports new empty documents forever, and
    // LoadAll would loop (and allocate) without end.
    std::istringstream in(copy);
    YAML::Parser parser(in);
    DiscardEvents discard;
    while (documents < 2 && parser.HandleNextDocument(discard)) ++documents;
    second_line = discard.last_document.line >= 0 ? discard.last_document.line + 1 : 0;
    if (documents == 1) doc = YAML::Load(copy);
  } catch (const YAML::Exception& e) {
    // e.msg is the message without yaml-cpp's own "line x, column y" prefix.
    sink.AddAt(SourceLocation{sink.file(), e.mark.line >= 0 ? e.mark.line + 1 : 0}, "",
               absl::StrCat("YAML syntax error: ", e.msg));
    return std::nullopt;
  } catch (const std::exception& e) {
    // yaml-cpp may throw non-YAML exceptions (e.g. bad_alloc); none may escape.
    sink.AddAt(SourceLocation{sink.file(), 0}, "", absl::StrCat("cannot parse YAML: ", e.what()));
    return std::nullopt;
  }
  if (documents == 0) return YAML::Node(YAML::NodeType::Null);
  if (documents > 1) {
    // Silently reading only the first document would hide the others' cubes.
    sink.AddAt(SourceLocation{sink.file(), second_line}, "",
               "a model file must hold a single YAML document");
    return std::nullopt;
  }
  std::string shape_error = CheckShape(doc);
  if (!shape_error.empty()) {
    sink.Add(doc, "", shape_error);
    return std::nullopt;
  }
  return doc;
}

}  // namespace tessera::model
