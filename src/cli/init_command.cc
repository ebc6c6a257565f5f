// `tessera init DIR`: a ready-to-run project skeleton.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include "cli/commands.h"
#include "cli/project_template.h"
#include "cli/random_secret.h"
#include "config/config_template.h"

namespace tessera::cli {
namespace {

namespace fs = std::filesystem;

constexpr size_t kApiSecretBytes = 32;

bool WriteFile(const fs::path& path, const std::string& text, std::ostream& err) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    err << "error: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

// An existing empty folder is fine (people create it first); anything in it
// might be someone's work, so it is never touched.
bool CheckTarget(const fs::path& dir, std::ostream& err) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (!fs::is_directory(dir, ec)) {
    err << "error: " << dir.string() << " exists and is not a folder\n";
    return false;
  }
  if (!fs::is_empty(dir, ec) || ec) {
    err << "error: " << dir.string() << " is not empty; tessera init only creates new projects\n";
    return false;
  }
  return true;
}

}  // namespace

int RunInit(const std::string& dir_name, std::ostream& out, std::ostream& err) {
  if (dir_name.empty()) {
    err << "error: tessera init needs the folder to create\n";
    return 1;
  }
  const fs::path dir(dir_name);
  if (!CheckTarget(dir, err)) return 1;

  absl::StatusOr<std::string> secret = RandomHexSecret(kApiSecretBytes);
  if (!secret.ok()) {
    err << "error: cannot create an API secret: " << secret.status().message() << "\n";
    return 1;
  }
  std::error_code ec;
  fs::create_directories(dir / "model", ec);
  if (ec) {
    err << "error: cannot create " << (dir / "model").string() << ": " << ec.message() << "\n";
    return 1;
  }
  // .env holds the API secret: readable by its owner only.
  const fs::path dotenv = dir / ".env";
  if (!WriteFile(dotenv, ProjectDotEnv(*secret), err)) return 1;
  fs::permissions(dotenv, fs::perms::owner_read | fs::perms::owner_write, ec);

  fs::path absolute = fs::absolute(dir, ec).lexically_normal();
  if (absolute.filename().empty()) absolute = absolute.parent_path();  // "proj/"
  const std::string project_name = absolute.filename().string();
  if (!WriteFile(dir / "tessera.yaml", config::CommentedConfigTemplate(), err) ||
      !WriteFile(dir / "model" / "orders.yml", ExampleCubeYaml(), err) ||
      !WriteFile(dir / "README.md", ProjectReadme(project_name.empty() ? dir_name : project_name), err) ||
      !WriteFile(dir / ".gitignore", ".env\ndata.db\n", err)) {
    return 1;
  }
  out << "Created project " << dir.string() << ":\n"
      << "  .env          database settings and a new CUBEJS_API_SECRET (keep it private)\n"
      << "  tessera.yaml  all other settings, at their defaults\n"
      << "  model/        the data model (an example cube: model/orders.yml)\n"
      << "  README.md     next steps\n"
      << "  .gitignore    keeps .env and data.db out of git\n"
      << "Next steps: " << (dir / "README.md").string() << "\n";
  return 0;
}

}  // namespace tessera::cli
