#ifndef VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_
#define VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_

// A clinic as an operator runs it, for end-to-end tests, all inside a temporary directory:
// ClinicProcess is the all-in-one topology (a tokens file, a data directory and one real
// velknee-server process on a loopback port); MultiProcessClinic is one process per service with
// mutual TLS, started by deploy/launch_multiprocess.sh. Plus the velknee-desk and
// velknee-tablet command lines a receptionist or a therapist would type against either, the
// files and days they take, and the therapist's steps that many tests take before the one they
// are about.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/harness/subprocess.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee::test {

// Runs `velknee-desk args...` with a bounded per-call deadline; `env` is added to the
// environment (e.g. VELKNEE_TOKEN=...).
CommandResult RunDesk(const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {});

// Runs `velknee-tablet args...` the same way, with `input` on its stdin (the answers of a guided
// form).
CommandResult RunTablet(const std::vector<std::string>& args, const std::string& input = "",
                        const std::vector<std::string>& env = {});

// A client's --json output parsed as `Message`; a parse error fails the test.
template <typename Message>
Message ParseJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// Writes `text` to the file `name` in `dir`; returns its path, for --from_file.
std::string WriteFile(const TempDir& dir, absl::string_view name, absl::string_view text);

// The content of the file at `path` ("" when it cannot be read).
std::string ReadFile(const std::string& path);

// velknee-tablet as a test runs it: `args` plus the test's own connection and token flags.
using TabletCommand = absl::FunctionRef<CommandResult(std::vector<std::string> args)>;

// The therapist's intake of `client` from `json` (written to `dir` as `<tag>-assessment.json`),
// created and submitted by one `intake new --submit`; returns the assessment as the server
// answered (an empty one, and a test failure, when the command failed).
intake::v1::Assessment SubmittedIntakeFromFile(TabletCommand tablet, const TempDir& dir,
                                               const std::string& client, const std::string& tag,
                                               const std::string& json);

// The therapist's plan for `assessment` from `json` (written to `dir` as `<tag>-plan.json`) by
// `plan new`, then `plan activate --etag`; expects it ACTIVE and returns the plan's name.
std::string ActivePlanFromFile(TabletCommand tablet, const TempDir& dir,
                               const std::string& assessment, const std::string& tag,
                               const std::string& json);

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

  // Kills the server with SIGKILL, as a crash would, and waits up to 20 s for it to go; true
  // when it died of that signal.
  bool Kill();

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
  // The server's --data_dir, kept across restarts.
  std::string DataDir() const { return dir_.File("data"); }

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

// The time zone called `name`, such as a server's --clinic_time_zone; a test failure when the
// name is unknown.
absl::TimeZone ZoneNamed(absl::string_view name);

// `day` as YYYY-MM-DD, as velknee-desk's --date and --start take it.
std::string DayText(absl::CivilDay day);

// A Tuesday at least a week ahead in `zone`.
absl::CivilDay NextTuesdayAfterAWeek(absl::TimeZone zone);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_E2E_CLINIC_PROCESS_H_
