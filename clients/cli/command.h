#ifndef VELKNEE_CLIENTS_CLI_COMMAND_H_
#define VELKNEE_CLIENTS_CLI_COMMAND_H_

// What every command group of the reference clients (`clients`, `intake`,
// `plan`) does the same way, written once: the flags several groups share,
// matching the words after the group against its subcommands (refusing a
// flag the subcommand would ignore, so a mistyped command never silently
// does less than asked), opening the connection, and printing a result or a
// failure with the right exit code.

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"
#include "clients/cli/text_flag.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

// The flags more than one group takes (defined in command.cc).
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, client);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, from_file);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, update_mask);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, request_id);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, etag);
ABSL_DECLARE_FLAG(int32_t, page_size);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, page_token);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, time_zone);

namespace velknee::cli {

// Where a command writes, and the executable's name for usage text and hints.
struct CommandIo {
  std::string program;  // e.g. "velknee-desk"
  std::ostream& out;
  std::ostream& err;
};

// A command flag and whether it was given on this command line.
struct FlagUse {
  std::string name;  // without the dashes, e.g. "request_id"
  bool given;
};

// The shared flags above, with whether each was given.
std::vector<FlagUse> SharedFlags();

// The clinic's zone for showing (and typing) times: the one --time_zone
// names, or this machine's zone when it is not given. INVALID_ARGUMENT naming
// --time_zone for an unknown name, for the caller to print with its usage.
absl::StatusOr<absl::TimeZone> TimeZoneFromFlag();

// The names of the given flags among `flags`, as "--name".
std::vector<std::string> GivenFlagNames(const std::vector<FlagUse>& flags);

// One subcommand of a group: its verb, whether a resource name follows it,
// and the flags it takes besides the connection flags.
struct SubcommandSpec {
  std::string verb;
  bool takes_name;
  std::vector<std::string> flags;
};

// A group's subcommands and what its resource name looks like, e.g. "intake"
// and "the assessment's resource name, clients/ID/assessments/ID".
struct CommandGroup {
  std::string name;
  std::string resource_name_form;
  std::vector<SubcommandSpec> subcommands;
};

// What a command line asked for.
struct ParsedSubcommand {
  size_t index = 0;  // into CommandGroup::subcommands
  std::string name;  // the resource name, for subcommands that take one
};

// Matches `args` (the words after the group's name) against `group`.
// `own_flags` are the group's own flags with whether each was given (the
// shared ones are added here); `foreign` names the given flags of other groups. OK names
// the subcommand; INVALID_ARGUMENT says what is wrong (unknown or missing
// verb, missing or extra argument, a flag the subcommand does not take), for
// the caller to print with its usage.
absl::StatusOr<ParsedSubcommand> ParseSubcommand(const CommandGroup& group,
                                                 const std::vector<std::string>& args,
                                                 std::vector<FlagUse> own_flags,
                                                 const std::vector<std::string>& foreign);

// Writes "error: <problem>", a blank line and `usage`; returns kExitUsage.
int UsageFailure(const CommandIo& io, absl::string_view problem, absl::string_view usage);

// Connection::OpenFromFlags; on failure writes its error line to `io.err`
// and returns null (the caller exits with kExitUsage).
std::unique_ptr<Connection> OpenConnection(const CommandIo& io);

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
