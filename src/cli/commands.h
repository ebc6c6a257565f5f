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
int RunValidate(const std::string& model_dir, std::ostream& out, std::ostream& err);

}  // namespace tessera::cli
