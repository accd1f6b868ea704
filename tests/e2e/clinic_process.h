#ifndef VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_
#define VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_

// One clinic as an operator runs it, for end-to-end tests: a tokens file, a data directory and a
// real velknee-server process on a loopback port, all inside a temporary directory, plus the
// velknee-desk and velknee-tablet command lines a receptionist or a therapist would type
// against it.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/harness/subprocess.h"
#include "tests/support/temp_dir.h"

namespace velknee::test {

class ClinicProcess {
 public:
  // Adds a SERVICE token for the server's --service_token_file.
  ClinicProcess();

  // Adds a token for `principal` with `role` (and `therapist` for the therapist role) and writes
  // it to a file; returns that file's path, for --token_file.
  std::string AddToken(absl::string_view role, absl::string_view principal,
                       absl::string_view therapist = "");

  // Starts velknee-server on 127.0.0.1:0 with `extra_flags`; returns the port, or 0 when it did
  // not start (then ServerLog() says why).
  int Start(const std::vector<std::string>& extra_flags = {});

  // Stops the server with SIGTERM and waits up to 20 s; returns its exit code (0 for a clean
  // shutdown), or -1 when it was not running or did not exit in time.
  int Stop();

  // Runs `velknee-desk args...` with a bounded per-call deadline; `env` is added to the
  // environment (e.g. VELKNEE_TOKEN=...).
  CommandResult Desk(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {}) const;

  // Runs `velknee-tablet args...` the same way, with `input` on its stdin (the answers of a
  // guided form).
  CommandResult Tablet(const std::vector<std::string>& args, const std::string& input = "",
                       const std::vector<std::string>& env = {}) const;

  // What the server wrote to stderr so far (its log).
  std::string ServerLog() const;

  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  const std::string service_token_file_;
  std::unique_ptr<Process> server_;
};

// The first line of `text` that contains `needle`, or "" when none does. Lets a test tie
// several facts to one row of a table without depending on column widths.
std::string LineWith(absl::string_view text, absl::string_view needle);

// The number of lines in `text` (a final line without '\n' counts).
int LineCount(absl::string_view text);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_
