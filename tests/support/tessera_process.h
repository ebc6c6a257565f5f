#pragma once
// The `tessera` binary as a child process, for tests that run the real
// server: started with a minimal environment (so the developer's own CUBEJS_*
// variables cannot leak in), its output read until a marker, stopped by its
// pid. TESSERA_BINARY is the path CMake compiles in.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/child_process.h"

namespace tessera::testing {

// Starts the tessera binary with `args` in `dir`; `env` is added to a minimal
// environment (so the developer's own CUBEJS_* variables cannot leak in).
// stdout and stderr share the pipe.
inline Child Spawn(const std::vector<std::string>& args, const std::filesystem::path& dir,
                   const std::map<std::string, std::string>& env) {
  ProgramLaunch launch;
  launch.program = TESSERA_BINARY;
  launch.args = args;
  launch.dir = dir;
  launch.env = std::map<std::string, std::string>{{"PATH", "/usr/bin:/bin"}, {"TZ", "UTC"}};
  for (const auto& [k, v] : env) (*launch.env)[k] = v;
  return SpawnProgram(launch);
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

// The token `tessera token` printed ("Token: <jwt>"), or "".
inline std::string TokenFrom(const std::string& cli_output) {
  size_t at = cli_output.find("Token: ");
  if (at == std::string::npos) return "";
  size_t end = cli_output.find('\n', at);
  return cli_output.substr(at + 7, end - at - 7);
}

// `tessera serve` as a child: started with an environment, its port read
// from the banner, stopped by its pid with SIGTERM (or killed).
class ServerProcess {
 public:
  ServerProcess() = default;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { Stop(); }

  // Starts `tessera serve` in `dir`; returns the port, or 0 when it did not
  // come up (what it wrote is in `log` either way). After the banner a
  // thread keeps reading what the server writes: a server whose output pipe
  // is full blocks in its logger, and a test under load would hang on it.
  uint16_t Start(const std::filesystem::path& dir, const std::map<std::string, std::string>& env, std::string& log,
                 std::vector<std::string> args = {"serve"}) {
    child_ = Spawn(args, dir, env);
    log = ReadUntil(child_.out_fd, "/cubejs-api/v1\n", std::chrono::seconds(60));
    {
      std::lock_guard<std::mutex> lock(mu_);
      output_.clear();
    }
    drain_ = std::thread([this, fd = child_.out_fd] {
      char buf[4096];
      for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::lock_guard<std::mutex> lock(mu_);
        output_.append(buf, static_cast<size_t>(n));
      }
    });
    size_t at = log.find("API:  http://127.0.0.1:");
    if (at == std::string::npos) return 0;
    return static_cast<uint16_t>(std::atoi(log.c_str() + at + 23));
  }

  // Stops the server by its pid; returns what it wrote after Start's banner.
  std::string Stop() {
    if (child_.pid <= 0) return "";
    ::kill(child_.pid, SIGTERM);
    // A server that does not stop within 30 s is killed (the test then fails
    // on what it finds, instead of hanging).
    for (int i = 0; i < 300; ++i) {
      int status = 0;
      if (::waitpid(child_.pid, &status, WNOHANG) == child_.pid) {
        child_.pid = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (child_.pid > 0) ::kill(child_.pid, SIGKILL);
    Reap();
    return Output();
  }

  // SIGKILL: no chance to flush or say goodbye.
  void Kill() {
    if (child_.pid <= 0) return;
    ::kill(child_.pid, SIGKILL);
    Reap();
  }

  pid_t pid() const { return child_.pid; }
  // What the server wrote after its banner, so far.
  std::string Output() {
    std::lock_guard<std::mutex> lock(mu_);
    return output_;
  }

 private:
  void Reap() {
    if (child_.pid > 0) Wait(child_.pid);
    // The pipe reaches EOF once the server is gone.
    if (drain_.joinable()) drain_.join();
    ::close(child_.out_fd);
    child_ = Child{};
  }

  Child child_;
  std::thread drain_;
  std::mutex mu_;
  std::string output_;
};

}  // namespace tessera::testing
