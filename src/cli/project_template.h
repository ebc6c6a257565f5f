#pragma once
// The files of a new project, as `tessera init` writes them.
#include <string>

namespace tessera::cli {

// .env for the embedded SQLite database in development mode, with a fresh
// API secret.
std::string ProjectDotEnv(const std::string& api_secret);

// model/orders.yml: an example cube over the `orders` table of Tessera's
// demo data set, showing measures, dimensions and a segment.
std::string ExampleCubeYaml();

// README.md: what the files are and what to do next.
std::string ProjectReadme(const std::string& project_name);

}  // namespace tessera::cli
