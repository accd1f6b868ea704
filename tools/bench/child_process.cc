#include "tools/bench/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace velknee::bench {
namespace {

constexpr size_t kTailBytes = 8192;
constexpr absl::string_view kListening = "listening on ";

std::atomic<bool> interrupted{false};

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Errno("pipe");
  // Everything the child needs is made before fork: between fork and exec a child of a
  // threaded process may only make async-signal-safe calls.
  std::vector<std::string> args = argv;
  std::vector<char*> c_args;
  for (std::string& arg : args) c_args.push_back(arg.data());
  c_args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Errno("fork");
  }
  if (pid == 0) {
    // Killed with us, even by SIGKILL; and not left with the signals we block for ourselves.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::execv(c_args[0], c_args.data());
    const char message[] = "velknee-bench: cannot run the child program\n";
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof(message) - 1);
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, pipe_fds[0]));
}

ChildProcess::ChildProcess(pid_t pid, int output_fd)
    : pid_(pid), output_fd_(output_fd), reader_([this] { ReadOutput(); }) {}

ChildProcess::~ChildProcess() {
  if (!SignalAndReap(SIGTERM, absl::Seconds(10))) SignalAndReap(SIGKILL, absl::Seconds(10));
  // The pipe closes when the child (and anything it started that kept the pipe) is gone.
  reader_.join();
  ::close(output_fd_);
}

void ChildProcess::ReadOutput() {
  char chunk[8192];
  while (true) {
    const ssize_t n = ::read(output_fd_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    absl::MutexLock lock(&mu_);
    if (n <= 0) {
      closed_ = true;
      return;
    }
    output_.append(chunk, static_cast<size_t>(n));
    if (!keep_all_output_ && output_.size() > 2 * kTailBytes) {
      output_.erase(0, output_.size() - kTailBytes);
    }
  }
}

absl::StatusOr<std::string> ChildProcess::WaitForListening(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  std::string address;
  auto listening_or_closed = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // Only whole lines: the port may still be on its way.
    const size_t end = output_.rfind('\n');
    if (end == std::string::npos) return closed_;
    for (absl::string_view line : absl::StrSplit(absl::string_view(output_).substr(0, end), '\n')) {
      if (absl::ConsumePrefix(&line, kListening) && !line.empty()) {
        address = std::string(line);
        return true;
      }
    }
    return closed_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&listening_or_closed), timeout);
  keep_all_output_ = false;
  if (address.empty()) {
    return absl::UnavailableError(
        absl::StrCat("process ", pid_, " did not start listening; its output:\n", output_));
  }
  return address;
}

absl::StatusOr<std::string> ChildProcess::WaitForExit(absl::Duration timeout) {
  {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&closed_), timeout);
  }
  if (!SignalAndReap(0, absl::ZeroDuration())) SignalAndReap(SIGKILL, absl::Seconds(10));
  const std::string output = OutputTail();
  if (!WIFEXITED(exit_status_) || WEXITSTATUS(exit_status_) != 0) {
    return absl::InternalError(absl::StrCat("process ", pid_, " failed; its output:\n", output));
  }
  return output;
}

std::string ChildProcess::OutputTail() const {
  absl::MutexLock lock(&mu_);
  if (keep_all_output_ || output_.size() <= kTailBytes) return output_;
  // From the first whole line of the tail.
  const size_t line = output_.find('\n', output_.size() - kTailBytes);
  return line == std::string::npos ? "" : output_.substr(line + 1);
}

bool ChildProcess::SignalAndReap(int signal, absl::Duration timeout) {
  if (reaped_) return true;
  if (signal != 0) ::kill(pid_, signal);
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || done < 0) {
      reaped_ = true;
      exit_status_ = done == pid_ ? status : -1;
      return true;
    }
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

absl::StatusOr<std::unique_ptr<ScratchDir>> ScratchDir::Make(const std::string& parent) {
  std::string path = absl::StrCat(parent, "/velknee-bench.XXXXXX");
  if (::mkdtemp(path.data()) == nullptr) return Errno(absl::StrCat("mkdtemp in ", parent));
  return std::unique_ptr<ScratchDir>(new ScratchDir(std::move(path)));
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string OwnExecutable() {
  std::error_code error;
  return std::filesystem::read_symlink("/proc/self/exe", error).string();
}

absl::StatusOr<int64_t> ResidentBytes(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "VmRSS:")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    int64_t kilobytes = 0;
    if (absl::ConsumeSuffix(&rest, " kB") && absl::SimpleAtoi(rest, &kilobytes)) {
      return kilobytes * 1024;
    }
  }
  return absl::NotFoundError(absl::StrCat("no VmRSS for process ", pid));
}

absl::Status WriteSecretFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno(path);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return written ? absl::OkStatus() : Errno(path);
}

void CatchInterrupts() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Blocked here, before any other thread exists, so every thread inherits the mask and only
  // the waiting thread below ever receives them.
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int signal = 0;
    ::sigwait(&signals, &signal);
    interrupted = true;
    // A second interrupt means "now": the kernel still kills the children (PR_SET_PDEATHSIG),
    // only the scratch directory stays behind.
    ::sigwait(&signals, &signal);
    ::_exit(130);
  }).detach();
}

bool Interrupted() { return interrupted; }

}  // namespace velknee::bench
