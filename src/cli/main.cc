// The `tessera` command: parses arguments and dispatches to a subcommand.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "api/bootstrap.h"
#include "cli/commands.h"
#include "config/settings.h"
#include "demo/demo_data.h"

namespace {

std::string WorkingDir() { return std::filesystem::current_path().string(); }

int Serve() {
  absl::StatusOr<tessera::config::Settings> settings = tessera::config::LoadSettings(WorkingDir());
  if (!settings.ok()) {
    std::cerr << "tessera: configuration error: " << settings.status().message() << "\n";
    return 2;
  }
  absl::Status s = tessera::api::RunServer(*settings, std::cout);
  if (!s.ok()) {
    std::cerr << "tessera: " << s.message() << "\n";
    return s.code() == absl::StatusCode::kFailedPrecondition ? 3 : 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Tessera: a secure, Cube-compatible analytics API"};
  app.require_subcommand(1);

  app.add_subcommand("serve", "Serve the analytics API (settings from .env, the environment and tessera.yaml)");

  std::string init_dir;
  auto* init = app.add_subcommand("init", "Create a new project folder");
  init->add_option("DIR", init_dir, "Folder to create")->required();

  std::vector<std::string> tables;
  std::string out_dir;
  bool overwrite = false;
  auto* generate = app.add_subcommand("generate-model", "Write YAML cubes for the database's tables");
  generate->add_option("--tables", tables, "Only these tables")->delimiter(',');
  generate->add_option("--out", out_dir, "Output folder (default: the schema path)");
  generate->add_flag("--overwrite", overwrite, "Replace existing files");

  std::string model_dir;
  auto* validate = app.add_subcommand("validate", "Compile the data model and report every error");
  validate->add_option("DIR", model_dir, "Model folder (default: the schema path)");

  std::string demo_out;
  tessera::demo::DemoDataOptions demo_options;
  bool demo_sql = false;
  auto* demo = app.add_subcommand("demo-data", "Generate the deterministic e-commerce demo data set");
  demo->add_option("--out", demo_out, "SQLite database file to create (or SQL file with --sql; '-' for stdout)")->required();
  demo->add_option("--orders", demo_options.orders, "Number of orders")->check(CLI::PositiveNumber);
  demo->add_option("--seed", demo_options.seed, "Random seed");
  demo->add_flag("--sql", demo_sql, "Write SQL statements instead of a SQLite database");

  tessera::cli::TokenCommandArgs token_args;
  auto* token = app.add_subcommand("token", "Print a signed (optionally encrypted) API token");
  token->add_option("-s,--secret", token_args.secret, "HMAC secret (default: CUBEJS_API_SECRET)");
  token->add_option("-p,--payload", token_args.payload, "Claim as key=value (repeatable; values are strings)");
  token->add_option("--claims", token_args.claims_json, "Claims as a JSON object (numbers, arrays, nested objects)");
  token->add_option("-e,--expiry", token_args.expiry, "Lifetime: \"30 days\", \"1h\", seconds; 0 for none")
      ->capture_default_str();
  token->add_option("--alg", token_args.alg, "Signature algorithm (default: HS256, or the key's)");
  token->add_option("--key", token_args.key, "Private key to sign with (PEM or JWK; a file or the text)");
  token->add_option("--kid", token_args.kid, "Key id to put in the header");
  token->add_option("--encrypt-to", token_args.encrypt_to,
                    "Encrypt the signed token to this public key (PEM/JWK, file or text) or shared secret");
  token->add_option("--encrypt-alg", token_args.encrypt_alg, "Key management (default by key: RSA-OAEP-256, ECDH-ES+A256KW, dir)");
  token->add_option("--encrypt-enc", token_args.encrypt_enc, "Content encryption")->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("serve")) return Serve();
  if (app.got_subcommand("token")) return tessera::cli::RunToken(WorkingDir(), token_args, std::cout, std::cerr);
  if (app.got_subcommand("init")) return tessera::cli::RunInit(init_dir, std::cout, std::cerr);
  if (app.got_subcommand("generate-model")) {
    return tessera::cli::RunGenerateModel(WorkingDir(), tables, out_dir, overwrite, std::cout, std::cerr);
  }
  if (app.got_subcommand("validate")) {
    auto settings = tessera::config::LoadSettings(WorkingDir());
    if (!settings.ok()) {
      std::cerr << "tessera: configuration error: " << settings.status().message() << "\n";
      return 2;
    }
    if (model_dir.empty()) model_dir = settings->schema_path;
    tessera::cli::ValidateConfig config{settings->config_text, settings->config_label, settings->roles_claim};
    return tessera::cli::RunValidate(model_dir, std::cout, std::cerr, &config);
  }
  if (app.got_subcommand("demo-data")) {
    if (demo_sql) {
      if (demo_out == "-") {
        tessera::demo::WriteDemoSql(demo_options, std::cout);
        return 0;
      }
      std::ofstream f(demo_out, std::ios::binary);
      tessera::demo::WriteDemoSql(demo_options, f);
      return f ? 0 : 1;
    }
    absl::Status s = tessera::demo::CreateSqliteDemoDatabase(demo_out, demo_options);
    if (!s.ok()) {
      std::cerr << "tessera: " << s.message() << "\n";
      return 1;
    }
    std::cout << "Wrote " << demo_options.orders << " orders to " << demo_out << "\n";
    return 0;
  }
  return 1;
}
