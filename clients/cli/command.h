#ifndef VELKNEE_CLIENTS_CLI_COMMAND_H_
#define VELKNEE_CLIENTS_CLI_COMMAND_H_

// What every command of the reference clients does the same way, written
// once: the flags several command groups share, opening the connection, and
// printing a result or a failure with the right exit code. Which command
// takes which flag is the registry's (command_registry.h).

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"
#include "clients/cli/flag_spec.h"
#include "clients/cli/text_flag.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

// The flags more than one group takes (defined in command.cc).
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, client);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, plan);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, reason);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, request_id);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, etag);
ABSL_DECLARE_FLAG(int32_t, page_size);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, page_token);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, time_zone);

namespace velknee::cli {

// How the commands that take one of the shared flags above name it (the
// registry's FlagSpec), written once so every command's help shows it alike.
FlagSpec ClientFlag(bool required = false);
FlagSpec PlanFlag(bool required = false);
FlagSpec RequestIdFlag();
FlagSpec EtagFlag();
FlagSpec PageSizeFlag();
FlagSpec PageTokenFlag();
FlagSpec TimeZoneFlag();

// Where a command reads a form's answers and writes, and the executable's
// name for hints.
struct CommandIo {
  std::string program;  // e.g. "velknee-desk"
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
};

// The clinic's zone for showing (and typing) times: the one --time_zone
// names, or this machine's zone when it is not given. INVALID_ARGUMENT naming
// --time_zone for an unknown name, for the caller to print as a usage error.
absl::StatusOr<absl::TimeZone> TimeZoneFromFlag();

// Opens the connection (Connection::OpenFromFlags) and runs `body` with it;
// when it cannot be opened, its error line on `io.err` and kExitUsage.
int WithConnection(const CommandIo& io, absl::FunctionRef<int(const Connection&)> body);

// One error line for a command line that cannot run ("error: <problem>") on
// `io.err`; returns kExitUsage. Every usage error of the clients ends here.
int UsageError(const CommandIo& io, absl::string_view problem);

// Reads the clinic's zone from --time_zone, opens the connection and runs
// `body` with a `Runner(io, connection, zone)`. A usage error and kExitUsage
// when the zone is unknown or the connection cannot be opened.
template <typename Runner, typename Body>
int WithZonedRunner(const CommandIo& io, Body body) {
  absl::StatusOr<absl::TimeZone> zone = TimeZoneFromFlag();
  if (!zone.ok()) return UsageError(io, zone.status().message());
  return WithConnection(io, [&](const Connection& connection) {
    Runner runner(io, connection, *zone);
    return body(runner);
  });
}

// Accepts "clients/ID" or a bare "ID" (what people copy from a table column
// is sometimes only the id); anything else goes to the server as typed, which
// rejects it with a clear INVALID_ARGUMENT.
std::string ClientName(absl::string_view arg);

// The part every group's runner shares: the output form chosen by --json and
// how a result or a failure is printed.
class CommandRunner {
 public:
  CommandRunner(const CommandIo& io, const Connection& connection);

 protected:
  // `message` as proto JSON with --json, otherwise `text`. Returns kExitOk.
  int Print(const google::protobuf::Message& message, const std::string& text) const;

  // One error line on `io.err`; kExitCallFailed.
  int CallFailure(const grpc::Status& status) const;

  // One error line on `io.err` for a problem found before calling; kExitUsage.
  int LocalFailure(const absl::Status& status) const;

  // For a create call that carries a request_id: the error line, and when
  // the answer may only have been lost (UNAVAILABLE, DEADLINE_EXCEEDED),
  // `lost_answer_hint` after "; ". kExitCallFailed.
  int CreateFailure(const grpc::Status& status, absl::string_view lost_answer_hint) const;

  // Where a guided form writes its questions: `io.out`, or `io.err` with
  // --json so that standard output stays one JSON document.
  std::ostream& FormStream() const { return json_ ? io_.err : io_.out; }

  // Whether a form echoes the answers it reads from `in`: piped answers are
  // echoed so the transcript shows them; a terminal echoes typed ones itself.
  static bool EchoAnswers(const std::istream& in);

  // For a form that ended early or got too many bad answers: the error line
  // and "; nothing was <what>". kExitUsage.
  int FormFailure(const absl::Status& status, absl::string_view what = "created") const;

  // "; to retry without risking a duplicate, add --request_id=ID".
  static std::string RetryWithRequestIdHint(absl::string_view request_id);

  // The --request_id given, or a fresh one.
  static std::string RequestIdFromFlag();

  const CommandIo& io_;
  const Connection& connection_;
  const bool json_;
};

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_COMMAND_H_
