#include "tests/harness/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"

extern char** environ;

namespace velknee::test {
namespace {

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) env.emplace_back(*entry);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Reads whatever `fd` has now into `out`; false at end of file.
bool Drain(int fd, std::string& out) {
  char chunk[4096];
  const ssize_t n = ::read(fd, chunk, sizeof(chunk));
  if (n <= 0) return false;
  out.append(chunk, static_cast<size_t>(n));
  return true;
}

int ExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// Waits for `pid` until `deadline`; -1 when it is still running then.
int WaitUntil(pid_t pid, absl::Time deadline) {
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return ExitCode(status);
    if (done < 0 || absl::Now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const std::string& input, absl::Duration timeout) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return {};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<std::string> args = argv;
  std::vector<std::string> environment = Environment(env);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, CStrings(args).data(),
                                   CStrings(environment).data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  CommandResult result;
  if (spawned != 0) {
    result.err = std::strerror(spawned);
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return result;
  }
  // Input (a metrics scrape for promtool) may exceed the pipe buffer: it is written as the
  // child takes it, while its output is read, so neither side waits on the other.
  size_t written = 0;
  if (input.empty()) {
    ::close(in_pipe[1]);
    in_pipe[1] = -1;
  } else {
    ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    ::signal(SIGPIPE, SIG_IGN);  // A child that stops reading is an error below, not a crash.
  }
  const absl::Time deadline = absl::Now() + timeout;
  pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
  int open_fds = 2;
  while (open_fds > 0 && absl::Now() < deadline) {
    if (::poll(fds, 3, 50) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      pollfd& fd = fds[i];
      if (fd.fd >= 0 && (fd.revents & (POLLIN | POLLHUP))) {
        if (!Drain(fd.fd, i == 0 ? result.out : result.err)) {
          ::close(fd.fd);
          fd.fd = -1;
          --open_fds;
        }
      }
    }
    if (pollfd& in = fds[2]; in.fd >= 0 && (in.revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in.fd, input.data() + written, input.size() - written);
      if (n > 0) written += n;
      if (n < 0 && errno != EAGAIN) result.err = "stdin: " + std::string(std::strerror(errno));
      if ((n < 0 && errno != EAGAIN) || written == input.size()) {
        ::close(in.fd);
        in.fd = -1;
      }
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  result.exit_code = WaitUntil(pid, deadline);
  if (result.exit_code == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  return result;
}

Process::Process(const std::vector<std::string>& argv, const std::string& stderr_file) {
  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  std::vector<std::string> args = argv;
  std::vector<std::string> environment = Environment({});
  if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, CStrings(args).data(),
                  CStrings(environment).data()) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  stdout_fd_ = out_pipe[0];
}

Process::~Process() {
  if (pid_ > 0) Stop(SIGKILL, absl::Seconds(5));
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> Process::ReadLine(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (const size_t end = buffer_.find('\n'); end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      return line;
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return std::nullopt;
    pollfd fd = {stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1) > 0 &&
        !Drain(stdout_fd_, buffer_)) {
      return std::nullopt;
    }
  }
}

int Process::Stop(int signal, absl::Duration timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  const int code = WaitUntil(pid_, absl::Now() + timeout);
  if (code != -1) pid_ = -1;
  return code;
}

int WaitForListening(Process& server) {
  constexpr absl::string_view kPrefix = "listening on ";
  while (std::optional<std::string> line = server.ReadLine(absl::Seconds(20))) {
    if (!absl::StartsWith(*line, kPrefix)) continue;
    int port = 0;
    const size_t colon = line->rfind(':');
    if (colon != std::string::npos && absl::SimpleAtoi(line->substr(colon + 1), &port)) {
      return port;
    }
  }
  return 0;
}

std::string ServerBinary() { return VELKNEE_SERVER_BINARY; }
std::string DeskBinary() { return VELKNEE_DESK_BINARY; }
std::string TabletBinary() { return VELKNEE_TABLET_BINARY; }

}  // namespace velknee::test
