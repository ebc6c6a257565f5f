#pragma once
// The subcommands of the `tessera` binary other than `serve`, as functions
// the CLI entry point (cli/main.cc) dispatches to. Each returns the process
// exit code and writes its own messages to `out` / `err`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "audit/log_verifier.h"
#include "audit/record_filter.h"

namespace tessera::cli {

// `tessera init DIR`: a new project with .env, model/ (an example cube), a
// README and tessera.yaml. Refuses to overwrite a non-empty DIR.
int RunInit(const std::string& dir, std::ostream& out, std::ostream& err);

// `tessera generate-model [--tables t1,t2] [--out DIR]`: introspects the
// configured database (settings from .env / environment in `working_dir`)
// and writes one YAML cube per table into DIR (default: the schema path).
// Never overwrites an existing file unless `overwrite`.
int RunGenerateModel(const std::string& working_dir, const std::vector<std::string>& tables,
                     const std::string& out_dir, bool overwrite, std::ostream& out,
                     std::ostream& err);

// `tessera validate [DIR]`: compiles the model and prints every error as
// "file:line: member: message"; exit code 0 when the model is valid.
// With `config`, also checks the `query_rewrite:` and `tenancy:` sections of
// the config file against the model, as `tessera serve` will at start-up.
struct ValidateConfig {
  std::string text;   // the config file's text
  std::string label;  // its name, for messages
  std::string roles_claim = "role";
};
int RunValidate(const std::string& model_dir, std::ostream& out, std::ostream& err,
                const ValidateConfig* config = nullptr);

// `tessera token`: prints a signed (optionally encrypted) API token, its
// expiry and payload, like `cubejs-cli token`. Arguments as given on the
// command line; the secret defaults to CUBEJS_API_SECRET from `working_dir`'s
// settings. Key arguments are a file path or the key text itself.
struct TokenCommandArgs {
  std::string secret;
  std::vector<std::string> payload;  // key=value
  std::string claims_json;           // a JSON object merged into the payload
  std::string expiry = "30 days";
  std::string alg;
  std::string key;
  std::string kid;
  std::string encrypt_to;
  std::string encrypt_alg;
  std::string encrypt_enc = "A256GCM";
};
int RunToken(const std::string& working_dir, const TokenCommandArgs& args, std::ostream& out,
             std::ostream& err);

// `tessera audit verify FILE...`: checks the audit log's hash chain (and,
// with a public key, the file signatures) and prints "OK: …" or
// "FAILED: <the first bad record>". Exit code 0 when the log verified, 1
// when it did not, 2 when it could not be checked (unreadable file, bad key).
int RunAuditVerify(const std::vector<std::string>& files, const audit::VerifyOptions& options,
                   std::ostream& out, std::ostream& err);
// `tessera audit verify --postgres URL [--table T]`: the same checks on the
// PostgreSQL sink's table (each file_start begins a segment, as a file would).
int RunAuditVerifyTable(const std::string& conninfo, const std::string& table, const audit::VerifyOptions& options,
                        std::ostream& out, std::ostream& err);

// `tessera audit tail [-n N] [-f] [FILE]`: prints the last `n` records of
// the log whose active file is `path`, as written; with `follow`, keeps
// printing new ones across rotation until `options.stop` says so (or
// `options.max_records` were printed, for tests; 0: no limit). Lines that
// are not valid records are reported on `err` as file:line and skipped.
// Exit code 0, or 2 when there is no log.
struct AuditTailOptions {
  std::function<bool()> stop;
  int64_t max_records = 0;
  std::chrono::milliseconds poll_interval{200};
};
int RunAuditTail(const std::string& path, int64_t n, bool follow, std::ostream& out, std::ostream& err,
                 const AuditTailOptions& options = {});

// `tessera audit search [filters] [--json] [FILE...]`: prints the records
// of `files` (put in chain order) that `filter` matches: with `json_output`
// the lines as written, else one readable line each. Lines that are not
// valid records are reported on `err` as file:line and skipped (verify is
// the integrity check). Exit code 0 when a record matched, 1 when none did,
// 2 when a file cannot be read.
int RunAuditSearch(const std::vector<std::string>& files, const audit::RecordFilter& filter, bool json_output,
                   std::ostream& out, std::ostream& err);

}  // namespace tessera::cli
