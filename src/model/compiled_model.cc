#include "model/compiled_model.h"

#include "absl/strings/str_cat.h"

namespace tessera::model {

namespace {

template <typename T>
const T* FindByName(const std::vector<T>& items, std::string_view name) {
  for (const T& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

}  // namespace

const Measure* Cube::FindMeasure(std::string_view n) const { return FindByName(measures, n); }

const Dimension* Cube::FindDimension(std::string_view n) const {
  return FindByName(dimensions, n);
}

const Segment* Cube::FindSegment(std::string_view n) const { return FindByName(segments, n); }

std::vector<const Dimension*> Cube::PrimaryKeys() const {
  std::vector<const Dimension*> keys;
  for (const Dimension& d : dimensions) {
    if (d.primary_key) keys.push_back(&d);
  }
  return keys;
}

std::string ModelError::ToString() const {
  std::string out = location.file;
  // Line 0 means the problem concerns the whole file (it could not be read).
  if (location.line > 0) absl::StrAppend(&out, ":", location.line);
  if (!out.empty()) out += ": ";
  if (!member.empty()) absl::StrAppend(&out, member, ": ");
  out += message;
  return out;
}

CompiledModel::CompiledModel(std::vector<Cube> cubes) : cubes_(std::move(cubes)) {
  for (size_t i = 0; i < cubes_.size(); ++i) by_name_.emplace(cubes_[i].name, i);
}

const Cube* CompiledModel::FindCube(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &cubes_[it->second];
}

}  // namespace tessera::model
