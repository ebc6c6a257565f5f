#pragma once
// The `tessera` binary as a child process, for tests that run the real
// server: started with a minimal environment (so the developer's own CUBEJS_*
// variables cannot leak in), its output read until a marker, stopped by its
// pid. TESSERA_BINARY is the path CMake compiles in.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tessera::testing {

struct Child {
  pid_t pid = -1;
  int out_fd = -1;  // stdout and stderr together
};

// Starts the tessera binary with `args` in `dir`; `env` is added to a minimal
// environment (so the developer's own CUBEJS_* variables cannot leak in).
inline Child Spawn(const std::vector<std::string>& args, const std::filesystem::path& dir,
            const std::map<std::string, std::string>& env) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    ::close(fds[1]);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    std::vector<std::string> env_text = {"PATH=/usr/bin:/bin", "TZ=UTC"};
    for (const auto& [k, v] : env) env_text.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_text = {TESSERA_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execve(TESSERA_BINARY, argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{pid, fds[0]};
}

// Reads the child's output until `marker` appears, the output ends, or the
// time runs out.
inline std::string ReadUntil(int fd, const std::string& marker, std::chrono::seconds limit) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (marker.empty() || out.find(marker) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

inline int Wait(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs a short command to completion; returns (exit code, output).
inline std::pair<int, std::string> RunTessera(const std::vector<std::string>& args, const std::filesystem::path& dir,
                                const std::map<std::string, std::string>& env = {}) {
  Child c = Spawn(args, dir, env);
  std::string out = ReadUntil(c.out_fd, "", std::chrono::seconds(60));
  ::close(c.out_fd);
  return {Wait(c.pid), out};
}

}  // namespace tessera::testing
