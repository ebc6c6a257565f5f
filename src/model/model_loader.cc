// LoadModelFiles / LoadModelDirectory: read every file, then check what spans
// files (duplicate cubes, references), and build the model only if nothing at
// all is wrong, so a half-valid model never serves queries.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "model/compiled_model.h"
#include "model/cube_reader.h"
#include "model/error_sink.h"
#include "model/reference_checker.h"
#include "model/yaml_fields.h"
#include "model/yaml_reader.h"

namespace tessera::model {

namespace {

struct ModelDraft {
  std::vector<Cube> cubes;
  std::vector<TemplateUse> uses;
  std::vector<ModelError> errors;
};

void ReadCubeList(const Field& field, ErrorSink& sink, ModelDraft& draft) {
  if (field.value.IsNull()) return;  // `cubes:` with nothing under it
  if (!field.value.IsSequence()) {
    sink.Add(field.value, "", "'cubes' must be a list");
    return;
  }
  for (const YAML::Node& item : field.value) {
    std::optional<Cube> cube = ReadCube(item, sink, draft.uses);
    if (!cube) continue;
    auto same_name = [&](const Cube& c) { return c.name == cube->name; };
    auto existing = std::find_if(draft.cubes.begin(), draft.cubes.end(), same_name);
    if (existing != draft.cubes.end()) {
      sink.AddAt(cube->location, cube->name,
                 absl::StrCat("duplicate cube '", cube->name, "' (first defined at ",
                              existing->location.file, ":", existing->location.line, ")"));
      continue;
    }
    draft.cubes.push_back(*std::move(cube));
  }
}

void ReadModelFile(const std::string& file, const std::string& text, ModelDraft& draft) {
  ErrorSink sink(file, &draft.errors);
  try {
    std::optional<YAML::Node> doc = ReadYamlDocument(text, sink);
    if (!doc) return;
    if (doc->IsNull()) {
      sink.AddAt(SourceLocation{file, 1}, "", "file has no 'cubes:' list");
      return;
    }
    if (!doc->IsMap()) {
      sink.Add(*doc, "", "a model file must be a mapping with a 'cubes:' list");
      return;
    }
    static constexpr absl::string_view kTopKeys[] = {"cubes", "views"};
    Fields fields = ReadFields(*doc, kTopKeys, {}, sink, "");
    if (const Field* views = FindField(fields, "views")) {
      sink.Add(views->key, "", "views are not supported yet");
    }
    if (const Field* cubes = FindField(fields, "cubes")) {
      ReadCubeList(*cubes, sink, draft);
    } else if (FindField(fields, "views") == nullptr) {
      sink.Add(*doc, "", "file has no 'cubes:' list");
    }
  } catch (const YAML::Exception& e) {
    // The readers only use non-throwing yaml-cpp calls; this is the boundary
    // that keeps a yaml-cpp surprise from escaping the loader.
    sink.AddAt(SourceLocation{file, e.mark.line >= 0 ? e.mark.line + 1 : 0}, "",
               absl::StrCat("YAML error: ", e.msg));
  }
}

bool IsModelFile(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

}  // namespace

LoadResult LoadModelFiles(const std::map<std::string, std::string>& files) {
  ModelDraft draft;
  for (const auto& [file, text] : files) ReadModelFile(file, text, draft);
  CheckReferences(draft.cubes, draft.uses, &draft.errors);

  LoadResult result;
  if (draft.errors.empty()) {
    result.model = std::make_shared<const CompiledModel>(std::move(draft.cubes));
    return result;
  }
  // Reading order already follows the files; cross-file checks come last, so
  // sort to present every file's errors together and in line order.
  std::stable_sort(draft.errors.begin(), draft.errors.end(),
                   [](const ModelError& a, const ModelError& b) {
                     return std::tie(a.location.file, a.location.line) <
                            std::tie(b.location.file, b.location.line);
                   });
  result.errors = std::move(draft.errors);
  return result;
}

namespace {
// Built field by field: GCC 12 warns falsely about the aggregate form here.
ModelError FileError(const std::string& file, std::string message) {
  ModelError error;
  error.location.file = file;
  error.message = std::move(message);
  return error;
}
}  // namespace

namespace {
// Adds every model file under `dir` to `files`, named `prefix` + its path
// relative to `dir`.
void ReadDirectoryFiles(const std::string& dir, const std::string& prefix,
                        std::map<std::string, std::string>& files, std::vector<ModelError>& errors) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors.push_back(FileError(dir, "model directory not found"));
    return;
  }
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    if (!entry.is_regular_file(ec) || !IsModelFile(entry.path())) continue;
    const std::string relative = prefix + entry.path().lexically_relative(dir).generic_string();
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) {
      errors.push_back(FileError(relative, "cannot read file"));
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.emplace(relative, text.str());
  }
  if (ec) errors.push_back(FileError(dir, absl::StrCat("cannot list model directory: ", ec.message())));
}
}  // namespace

LoadResult LoadModelDirectory(const std::string& dir) {
  std::map<std::string, std::string> files;
  LoadResult failed;
  ReadDirectoryFiles(dir, "", files, failed.errors);
  if (!failed.errors.empty()) return failed;
  return LoadModelFiles(files);
}

LoadResult LoadModelWithOverlay(const std::string& base_dir, const std::string& overlay_dir,
                                const std::string& overlay_label) {
  std::map<std::string, std::string> files;
  LoadResult failed;
  ReadDirectoryFiles(base_dir, "", files, failed.errors);
  ReadDirectoryFiles(overlay_dir, overlay_label + "/", files, failed.errors);
  if (!failed.errors.empty()) return failed;
  return LoadModelFiles(files);
}

}  // namespace tessera::model
