#pragma once
// Starting a program as a child of a test binary.
//
// Why posix_spawn and not fork + exec: the test binaries run under ASan and
// often have other threads alive (servers, key-set refreshers, thread pools).
// A forked child of a multithreaded process may only call async-signal-safe
// functions until it execs; building strings there allocates, and if another
// thread held the allocator's lock at the fork, the child hangs before exec.
// posix_spawn runs nothing of ours in the child: argv and envp are built in
// the parent, and the redirections are file actions done by libc.
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace tessera::testing {

struct Child {
  pid_t pid = -1;
  int out_fd = -1;  // the read end of the child's stdout (and stderr, unless sent to a file)
};

struct ProgramLaunch {
  std::string program;            // absolute path
  std::vector<std::string> args;  // without argv[0]
  std::filesystem::path dir;      // working directory; empty: the test's own
  // The whole environment; nullopt inherits the test's.
  std::optional<std::map<std::string, std::string>> env;
  // Where stderr goes: empty joins stdout on the pipe.
  std::filesystem::path stderr_file;
};

// Starts the program with its stdout on a pipe whose read end is returned.
// pid is -1 when it could not be started.
inline Child SpawnProgram(const ProgramLaunch& launch) {
  std::vector<std::string> argv_text = {launch.program};
  argv_text.insert(argv_text.end(), launch.args.begin(), launch.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_text;
  std::vector<char*> envp;
  char** env = environ;
  if (launch.env) {
    for (const auto& [k, v] : *launch.env) env_text.push_back(k + "=" + v);
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    env = envp.data();
  }

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  std::string err_path = launch.stderr_file.string();
  if (err_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  std::string dir = launch.dir.string();
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, launch.program.c_str(), &actions, nullptr, argv.data(), env);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return {};
  }
  return Child{pid, fds[0]};
}

}  // namespace tessera::testing
