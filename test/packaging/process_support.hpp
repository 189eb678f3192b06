#pragma once
// Helpers for tests that run tallyd as a process: spawn with stdout/stderr to a file, SIGTERM,
// wait with a time limit; free loopback ports (one or a run of them); a minimal HTTP/1.1 POST for
// JSON-RPC calls; reading a file; polling a condition; tallyd on a node `tally init` made.

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace tally::test {

class Subprocess {
 public:
  // Runs `program` with `args`; its stdout and stderr go to `output`.
  Subprocess(const std::filesystem::path& program,
             const std::vector<std::string>& args,
             const std::filesystem::path& output) {
    std::vector<std::string> words{program.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& word : words)
      argv.push_back(word.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    // The child must not inherit a blocked SIGTERM from a test that blocked it.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    if (posix_spawn(&pid_, program.c_str(), &actions, &attributes, argv.data(), environ) != 0)
      pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  ~Subprocess() {
    if (running()) {
      kill(pid_, SIGKILL);
      wait_for(std::chrono::seconds(10));
    }
  }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  bool started() const { return pid_ > 0; }
  bool running() const { return pid_ > 0 && !status_; }
  void terminate() const {
    if (running())
      kill(pid_, SIGTERM);
  }
  // The exit code, or nothing when it still runs after `limit` (or died by a signal: -signal).
  std::optional<int> wait_for(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!status_) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline)
        return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// A loopback TCP port free right now (another process may take it before it is used).
inline std::uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// POSTs `body` as JSON to http://127.0.0.1:port/ and returns the response body, or nothing when
// the connection fails or the status is not 200.
inline std::optional<std::string> http_post_json(std::uint16_t port, const std::string& body) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return std::nullopt;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return std::nullopt;
  }
  const std::string request =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      close(fd);
      return std::nullopt;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0)
      break;
    response.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  if (!response.starts_with("HTTP/1.1 200"))
    return std::nullopt;
  const std::size_t body_start = response.find("\r\n\r\n");
  if (body_start == std::string::npos)
    return std::nullopt;
  return response.substr(body_start + 4);
}

// tallyd (TALLYD_PATH, the test target's) on the node.json that `tally init` wrote for `node`
// ("validator-1", "observer-1") under `consortium`, its output to `log`.
inline std::unique_ptr<Subprocess> start_tallyd(const std::filesystem::path& consortium,
                                                std::string_view node,
                                                const std::filesystem::path& log) {
  const auto config = consortium / "nodes" / std::string(node) / "node.json";
  return std::make_unique<Subprocess>(TALLYD_PATH,
                                      std::vector<std::string>{"--config", config.string()}, log);
}

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool loopback_port_free(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return free;
}

// A base port with the next `count` ports free (tally init numbers nodes' ports from it).
inline std::uint16_t free_port_run(std::size_t count) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const std::uint16_t base = free_port();
    if (base > 65535 - count)
      continue;
    bool all = true;
    for (std::size_t i = 0; i < count && all; ++i)
      all = loopback_port_free(static_cast<std::uint16_t>(base + i));
    if (all)
      return base;
  }
  ADD_FAILURE() << "no run of free ports";
  return 0;
}

// Polls `condition` every 50 ms until it holds or `limit` passes; true when it held.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace tally::test
