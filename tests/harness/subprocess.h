#ifndef VELKNEE_TESTS_HARNESS_SUBPROCESS_H_
#define VELKNEE_TESTS_HARNESS_SUBPROCESS_H_

// Real processes for end-to-end tests: velknee-server on a loopback port, and the reference
// clients' command lines.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace velknee::test {

// The outcome of a command run to completion.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is looked up on PATH) with `env` added to this process's environment and
// `input` on stdin, waiting at most `timeout` (then kills it and reports exit code -1).
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& input = "",
                         absl::Duration timeout = absl::Seconds(30));

// A long-running process whose stdout is read line by line and whose stderr goes to a file.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::string& stderr_file);
  ~Process();  // Kills the process if it is still running.
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // The next stdout line, or nullopt when the process closed stdout or `timeout` passed.
  std::optional<std::string> ReadLine(absl::Duration timeout);

  // Sends `signal` and waits up to `timeout` for the exit; returns the exit code, 128 + signal
  // for a process killed by a signal, or -1 when it did not exit in time.
  int Stop(int signal, absl::Duration timeout);

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
};

// Starts `velknee_server` with `flags` and waits for its `listening on HOST:PORT` line; returns
// the port, or 0 when it did not start within 20 s.
int WaitForListening(Process& server);

// Paths of the binaries under test, passed by CMake as compile definitions.
std::string ServerBinary();
std::string DeskBinary();
std::string TabletBinary();

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_HARNESS_SUBPROCESS_H_
