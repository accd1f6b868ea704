#ifndef VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_
#define VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_

// A clinic as an operator runs it, for end-to-end tests, all inside a temporary directory:
// ClinicProcess is the all-in-one topology (a tokens file, a data directory and one real
// velknee-server process on a loopback port); MultiProcessClinic is one process per service with
// mutual TLS, started by deploy/launch_multiprocess.sh. Plus the velknee-desk and
// velknee-tablet command lines a receptionist or a therapist would type against either.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/harness/subprocess.h"
#include "tests/support/temp_dir.h"

namespace velknee::test {

// Runs `velknee-desk args...` with a bounded per-call deadline; `env` is added to the
// environment (e.g. VELKNEE_TOKEN=...).
CommandResult RunDesk(const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {});

// Runs `velknee-tablet args...` the same way, with `input` on its stdin (the answers of a guided
// form).
CommandResult RunTablet(const std::vector<std::string>& args, const std::string& input = "",
                        const std::vector<std::string>& env = {});

// Adds a token for `principal` with `role` (and `therapist` for the therapist role) to
// `tokens_file` with `velknee-server tokens add` and writes the token to `token_path`; returns
// `token_path`, for --token_file.
std::string AddTokenTo(const std::string& tokens_file, const std::string& token_path,
                       absl::string_view role, absl::string_view principal,
                       absl::string_view therapist = "");

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

  // RunDesk and RunTablet.
  CommandResult Desk(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {}) const {
    return RunDesk(args, env);
  }
  CommandResult Tablet(const std::vector<std::string>& args, const std::string& input = "",
                       const std::vector<std::string>& env = {}) const {
    return RunTablet(args, input, env);
  }

  // What the server wrote to stderr so far (its log).
  std::string ServerLog() const;

  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  const std::string service_token_file_;
  std::unique_ptr<Process> server_;
};

// velknee as one process per service (intake, plans, scheduling, notes), each on its own free
// loopback port, serving TLS that requires client certificates and reaching its peers over
// mutual TLS, with certificates from deploy/make_dev_certs.sh. Started, restarted and stopped by
// deploy/launch_multiprocess.sh, in a directory that holds its tokens, data, logs and pid files.
class MultiProcessClinic {
 public:
  static constexpr const char* kServices[] = {"intake", "plans", "scheduling", "notes"};

  // Makes the certificates and picks the ports; starts nothing.
  MultiProcessClinic();
  // Stops whatever still runs.
  ~MultiProcessClinic();

  // `launch_multiprocess.sh --tls CERTS start DIR server_flags...`: starts every service that is
  // not running (so after a crash it restarts the one that died). Its output and exit code.
  CommandResult Start(const std::vector<std::string>& server_flags = {}) const;

  // `launch_multiprocess.sh stop DIR`: SIGTERM to each, waiting for it to drain and exit.
  CommandResult Stop() const;

  // Kills `service`'s process with SIGKILL, as a crash would, and waits until it is gone; false
  // when it was not running or did not go.
  bool Kill(absl::string_view service) const;

  // Adds a token to the shared tokens file (which Start makes; the services reload it).
  std::string AddToken(absl::string_view role, absl::string_view principal,
                       absl::string_view therapist = "") const;

  // The reference clients' flags for this clinic: every --<service>_target and the TLS files
  // (the clinic CA, and a client certificate for mutual TLS).
  std::vector<std::string> ClientFlags() const;

  int Port(absl::string_view service) const { return ports_.at(std::string(service)); }
  std::string DataDir(absl::string_view service) const;
  // The service's log (its stderr and stdout), for failure messages.
  std::string Log(absl::string_view service) const;
  const TempDir& dir() const { return dir_; }

 private:
  CommandResult Launcher(const std::vector<std::string>& args) const;

  TempDir dir_;
  const std::string clinic_dir_;
  const std::string cert_dir_;
  std::map<std::string, int> ports_;
};

// The first line of `text` that contains `needle`, or "" when none does. Lets a test tie
// several facts to one row of a table without depending on column widths.
std::string LineWith(absl::string_view text, absl::string_view needle);

// The number of lines in `text` (a final line without '\n' counts).
int LineCount(absl::string_view text);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_
