// The `tessera` command: parses arguments and dispatches to a subcommand.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <tuple>

#include <CLI/CLI.hpp>

#include "api/bootstrap.h"
#include "audit/log_files.h"
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

// The configured audit log's active file, for `tessera audit` without FILE.
std::optional<std::string> ConfiguredAuditFile() {
  absl::StatusOr<tessera::config::Settings> settings = tessera::config::LoadSettings(WorkingDir());
  if (!settings.ok()) {
    std::cerr << "tessera: configuration error: " << settings.status().message() << "\n";
    return std::nullopt;
  }
  if (settings->audit_file.empty() || settings->audit_file == "off") {
    std::cerr << "tessera: the audit log is off in this configuration; name the log files to read\n";
    return std::nullopt;
  }
  return settings->audit_file;
}

// The files named on the command line, or those of the configured log.
std::optional<std::vector<std::string>> AuditFiles(const std::vector<std::string>& given) {
  if (!given.empty()) return given;
  std::optional<std::string> active = ConfiguredAuditFile();
  if (!active) return std::nullopt;
  absl::StatusOr<std::vector<std::string>> files = tessera::audit::ListLogFiles(*active);
  if (!files.ok()) {
    std::cerr << "tessera: " << files.status().message() << "\n";
    return std::nullopt;
  }
  return *files;
}

struct AuditArgs {
  std::vector<std::string> files;
  std::string tail_file;
  std::string public_key_file;
  std::string head;
  bool start_anywhere = false;
  std::string postgres;
  std::string table = "tessera_audit";
  int64_t lines = 10;
  bool follow = false;
  std::optional<std::string> subject, tenant, outcome, kind, since, until;
  bool json = false;
};

int Audit(CLI::App& audit, const AuditArgs& args) {
  if (audit.got_subcommand("verify")) {
    tessera::audit::VerifyOptions options;
    options.start_anywhere = args.start_anywhere;
    if (!args.public_key_file.empty()) {
      std::ifstream in(args.public_key_file, std::ios::binary);
      std::stringstream pem;
      pem << in.rdbuf();
      if (!in) {
        std::cerr << "tessera: cannot read the public key " << args.public_key_file << "\n";
        return 2;
      }
      options.public_key_pem = pem.str();
    }
    if (!args.head.empty()) {
      absl::StatusOr<tessera::audit::ChainPoint> head = tessera::audit::ParseChainPoint(args.head);
      if (!head.ok()) {
        std::cerr << "tessera: --head: " << head.status().message() << "\n";
        return 2;
      }
      options.head = *head;
    }
    if (!args.postgres.empty()) {
      if (!args.files.empty()) {
        std::cerr << "tessera: verify either files or --postgres, not both\n";
        return 2;
      }
      return tessera::cli::RunAuditVerifyTable(args.postgres, args.table, options, std::cout, std::cerr);
    }
    std::optional<std::vector<std::string>> files = AuditFiles(args.files);
    if (!files) return 2;
    return tessera::cli::RunAuditVerify(*files, options, std::cout, std::cerr);
  }
  if (audit.got_subcommand("tail")) {
    std::optional<std::string> path = args.tail_file;
    if (path->empty()) path = ConfiguredAuditFile();
    if (!path) return 2;
    return tessera::cli::RunAuditTail(*path, args.lines, args.follow, std::cout, std::cerr);
  }
  tessera::audit::RecordFilter filter{args.subject, args.tenant, args.outcome, args.kind, std::nullopt, std::nullopt};
  for (auto [text, bound, flag] : {std::tuple{&args.since, &filter.since, "--since"},
                                   std::tuple{&args.until, &filter.until, "--until"}}) {
    if (!*text) continue;
    absl::StatusOr<absl::Time> t = tessera::audit::ParseFilterTime(**text);
    if (!t.ok()) {
      std::cerr << "tessera: " << flag << ": " << t.status().message() << "\n";
      return 2;
    }
    *bound = *t;
  }
  std::optional<std::vector<std::string>> files = AuditFiles(args.files);
  if (!files) return 2;
  return tessera::cli::RunAuditSearch(*files, filter, args.json, std::cout, std::cerr);
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

  AuditArgs audit_args;
  auto* audit = app.add_subcommand("audit", "Read the audit log: verify its chain, tail it, search it");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the hash chain (and file signatures) of the audit log");
  verify->add_option("FILE", audit_args.files, "Log files, any order (default: the configured log's files)");
  verify->add_option("--public-key", audit_args.public_key_file, "Ed25519 public key (PEM): every closed file must be signed by it");
  verify->add_option("--head", audit_args.head, "SEQ:HASH where the log must end (detects a log cut short)");
  verify->add_flag("--start-anywhere", audit_args.start_anywhere, "Accept a log whose oldest files were removed");
  verify->add_option("--postgres", audit_args.postgres, "Verify the PostgreSQL sink's table through this libpq URL instead");
  verify->add_option("--table", audit_args.table, "The PostgreSQL table")->capture_default_str();
  auto* tail = audit->add_subcommand("tail", "Print the last records of the audit log");
  tail->add_option("-n,--lines", audit_args.lines, "How many records")->capture_default_str()->check(CLI::NonNegativeNumber);
  tail->add_flag("-f,--follow", audit_args.follow, "Keep printing new records (across rotation)");
  tail->add_option("FILE", audit_args.tail_file, "The active log file (default: the configured one)");
  auto* search = audit->add_subcommand("search", "Print the audit records that match every given filter");
  search->add_option("--subject", audit_args.subject, "Caller's subject (token sub)");
  search->add_option("--tenant", audit_args.tenant, "Tenant");
  search->add_option("--outcome", audit_args.outcome, "allowed, denied, invalid or error")
      ->check(CLI::IsMember({"allowed", "denied", "invalid", "error"}));
  search->add_option("--kind", audit_args.kind, "Record kind: request, start, stop, file_start, …");
  search->add_option("--since", audit_args.since, "Records at or after: 2026-12-05, 2026-12-05T14:00:00Z or …+01:00");
  search->add_option("--until", audit_args.until, "Records before (same forms as --since)");
  search->add_flag("--json", audit_args.json, "Print the records as written (JSON lines)");
  search->add_option("FILE", audit_args.files, "Log files (default: the configured log's files)");

  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("serve")) return Serve();
  if (app.got_subcommand("audit")) return Audit(*audit, audit_args);
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
