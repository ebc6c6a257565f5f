#pragma once
// The subcommands of the `tessera` binary other than `serve`, as functions
// the CLI entry point (cli/main.cc) dispatches to. Each returns the process
// exit code and writes its own messages to `out` / `err`.
#include <iosfwd>
#include <string>
#include <vector>

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

}  // namespace tessera::cli
