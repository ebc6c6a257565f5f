// `tessera generate-model`: database tables -> one cube file per table.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <system_error>

#include "cli/commands.h"
#include "scaffold/cube_scaffold.h"
#include "scaffold/cube_yaml_writer.h"
#include "config/settings.h"
#include "driver/data_source.h"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;
using driver::TableSchema;
using scaffold::CubeDraft;
using scaffold::ScaffoldCubes;
using scaffold::TableFileStem;
using scaffold::WriteCubeYaml;

bool Matches(const TableSchema& table, const std::string& requested) {
  return requested == table.name || requested == table.schema + "." + table.name;
}

// The tables named by --tables (all when none are named). Unknown names are
// an error before anything is written, so a typo never half-generates.
bool SelectTables(const std::vector<TableSchema>& all, const std::vector<std::string>& requested,
                  std::vector<const TableSchema*>& selected, std::ostream& err) {
  if (requested.empty()) {
    for (const TableSchema& t : all) selected.push_back(&t);
    return true;
  }
  bool ok = true;
  for (const std::string& name : requested) {
    bool found = false;
    for (const TableSchema& t : all) {
      if (!Matches(t, name)) continue;
      found = true;
      if (std::find(selected.begin(), selected.end(), &t) == selected.end()) selected.push_back(&t);
    }
    if (!found) {
      err << "error: no table named '" << name << "' in the database\n";
      ok = false;
    }
  }
  return ok;
}

fs::path OutputDir(const std::string& working_dir, const std::string& out_dir,
                   const config::Settings& settings) {
  fs::path dir(out_dir.empty() ? settings.schema_path : out_dir);
  return dir.is_relative() ? fs::path(working_dir) / dir : dir;
}

fs::path CubeFile(const fs::path& dir, const TableSchema& table) {
  return dir / (TableFileStem(table) + ".yml");
}

bool Exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

}  // namespace

int RunGenerateModel(const std::string& working_dir, const std::vector<std::string>& tables,
                     const std::string& out_dir, bool overwrite, std::ostream& out,
                     std::ostream& err) {
  absl::StatusOr<config::Settings> settings = config::LoadSettings(working_dir);
  if (!settings.ok()) {
    err << "error: invalid configuration:\n" << settings.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<driver::DataSourcePtr> source = driver::OpenDataSource(settings->database);
  if (!source.ok()) {
    err << "error: cannot open the " << settings->database.type
        << " database: " << source.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<TableSchema>> schema = (*source)->Introspect();
  if (!schema.ok()) {
    err << "error: cannot read the database schema: " << schema.status().message() << "\n";
    return 1;
  }
  if (schema->empty()) {
    err << "error: the database has no tables to generate cubes from\n";
    return 1;
  }
  std::vector<const TableSchema*> selected;
  if (!SelectTables(*schema, tables, selected, err)) return 1;

  const fs::path dir = OutputDir(working_dir, out_dir, *settings);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    err << "error: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return 1;
  }

  const std::set<const TableSchema*> chosen(selected.begin(), selected.end());
  std::vector<CubeDraft> drafts = ScaffoldCubes(*schema, [&](const TableSchema& t) {
    return chosen.count(&t) > 0 || Exists(CubeFile(dir, t));
  });

  int written = 0;
  int skipped = 0;
  for (size_t i = 0; i < schema->size(); ++i) {
    const TableSchema& table = (*schema)[i];
    if (chosen.count(&table) == 0) continue;
    const fs::path file = CubeFile(dir, table);
    if (Exists(file) && !overwrite) {
      out << "Skipped " << file.string() << ": already exists (--overwrite replaces it)\n";
      ++skipped;
      continue;
    }
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << WriteCubeYaml(drafts[i]);
    stream.close();
    if (!stream) {
      err << "error: cannot write " << file.string() << "\n";
      return 1;
    }
    out << "Wrote " << file.string() << " (cube " << drafts[i].name << ")\n";
    ++written;
  }
  out << "Generated " << written << " cube file(s) in " << dir.string();
  if (skipped > 0) out << "; skipped " << skipped << " existing file(s)";
  out << "\n";
  return 0;
}

}  // namespace tessera::cli
