#include "clients/cli/command.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/dates.h"
#include "clients/cli/error_line.h"
#include "clients/cli/output.h"
#include "clients/cli/request_id.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, client, {},
          "intake new/list, plan list, note list: the client, clients/ID (or "
          "only the ID).");
ABSL_FLAG(TextFlag, from_file, {},
          "intake new/edit, plan new/edit, note new/edit: read the record from "
          "this file as proto JSON (the form --json prints) instead of asking "
          "the questions.");
ABSL_FLAG(TextFlag, update_mask, {},
          "intake/plan/note edit --from_file: the fields to change, "
          "comma-separated (e.g. pain.current,consent); a named field missing "
          "from the file is cleared. Default: every field set in the file.");
ABSL_FLAG(TextFlag, request_id, {},
          "clients add, intake new, plan new, note new/sign/addendum: "
          "idempotency key; default a fresh random one. Reuse the one from a "
          "failed command to retry it without creating a duplicate.");
ABSL_FLAG(TextFlag, etag, {},
          "clients edit/archive, intake edit/submit, plan edit/activate/"
          "complete/discontinue, note edit/sign: only change the record if it "
          "still has this etag (from show); otherwise the call fails with "
          "ABORTED.");
ABSL_FLAG(int32_t, page_size, 0,
          "clients find, intake list, plan list, note list: records per page; "
          "0 means the server default (50).");
ABSL_FLAG(TextFlag, page_token, {},
          "clients find, intake list, plan list, note list: token printed by "
          "the previous page.");
ABSL_FLAG(TextFlag, time_zone, {},
          "intake, plan, note, progress and the desk's scheduling commands, "
          "every command that shows a time: the clinic's time zone in which "
          "dates and times are shown and typed, an IANA name such as "
          "Europe/London; default this machine's zone.");

namespace velknee::cli {

std::vector<FlagUse> SharedFlags() {
  return {
      {"client", absl::GetFlag(FLAGS_client).given},
      {"from_file", absl::GetFlag(FLAGS_from_file).given},
      {"update_mask", absl::GetFlag(FLAGS_update_mask).given},
      {"request_id", absl::GetFlag(FLAGS_request_id).given},
      {"etag", absl::GetFlag(FLAGS_etag).given},
      {"page_size", absl::GetFlag(FLAGS_page_size) != 0},
      {"page_token", absl::GetFlag(FLAGS_page_token).given},
      {"time_zone", absl::GetFlag(FLAGS_time_zone).given},
  };
}

absl::StatusOr<absl::TimeZone> TimeZoneFromFlag() {
  return TimeZoneNamed(absl::GetFlag(FLAGS_time_zone).value, "--time_zone");
}

std::vector<std::string> GivenFlagNames(const std::vector<FlagUse>& flags) {
  std::vector<std::string> names;
  for (const FlagUse& use : flags) {
    if (use.given) names.push_back(absl::StrCat("--", use.name));
  }
  return names;
}

absl::StatusOr<ParsedSubcommand> ParseSubcommand(const CommandGroup& group,
                                                 const std::vector<std::string>& args,
                                                 std::vector<FlagUse> own_flags,
                                                 const std::vector<std::string>& foreign) {
  if (args.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("missing ", group.name, " command"));
  }
  const std::string& verb = args[0];
  ParsedSubcommand parsed;
  const auto spec = std::find_if(group.subcommands.begin(), group.subcommands.end(),
                                 [&](const SubcommandSpec& s) { return s.verb == verb; });
  if (spec == group.subcommands.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown ", group.name, " command \"", verb, "\""));
  }
  parsed.index = spec - group.subcommands.begin();
  const size_t expected_args = spec->takes_name ? 2 : 1;
  if (args.size() < expected_args) {
    return absl::InvalidArgumentError(
        absl::StrCat(group.name, " ", verb, " needs ", group.resource_name_form));
  }
  if (args.size() > expected_args) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument \"", args[expected_args], "\""));
  }
  if (spec->takes_name) parsed.name = args[1];
  std::vector<std::string> misplaced = foreign;
  for (FlagUse& use : SharedFlags()) own_flags.push_back(std::move(use));
  for (const FlagUse& use : own_flags) {
    if (use.given &&
        std::find(spec->flags.begin(), spec->flags.end(), use.name) == spec->flags.end()) {
      misplaced.push_back(absl::StrCat("--", use.name));
    }
  }
  if (!misplaced.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::StrJoin(misplaced, ", "), " does not apply to ", group.name, " ", verb));
  }
  return parsed;
}

int UsageFailure(const CommandIo& io, absl::string_view problem, absl::string_view usage) {
  io.err << "error: " << problem << "\n\nusage:\n" << usage;
  return kExitUsage;
}

std::unique_ptr<Connection> OpenConnection(const CommandIo& io) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::OpenFromFlags();
  if (!connection.ok()) {
    io.err << ErrorLine(connection.status()) << "\n";
    return nullptr;
  }
  return *std::move(connection);
}

std::string ClientName(absl::string_view arg) {
  if (absl::StrContains(arg, '/')) return std::string(arg);
  return absl::StrCat("clients/", arg);
}

CommandRunner::CommandRunner(const CommandIo& io, const Connection& connection)
    : io_(io), connection_(connection), json_(absl::GetFlag(FLAGS_json)) {}

int CommandRunner::Print(const google::protobuf::Message& message, const std::string& text) const {
  io_.out << (json_ ? ProtoJson(message) : text);
  return kExitOk;
}

int CommandRunner::CallFailure(const grpc::Status& status) const {
  io_.err << ErrorLine(status) << "\n";
  return kExitCallFailed;
}

int CommandRunner::LocalFailure(const absl::Status& status) const {
  io_.err << ErrorLine(status) << "\n";
  return kExitUsage;
}

int CommandRunner::CreateFailure(const grpc::Status& status,
                                 absl::string_view lost_answer_hint) const {
  std::string line = ErrorLine(status);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    absl::StrAppend(&line, "; ", lost_answer_hint);
  }
  io_.err << line << "\n";
  return kExitCallFailed;
}

bool CommandRunner::EchoAnswers(const std::istream& in) {
  return &in != &std::cin || !isatty(STDIN_FILENO);
}

int CommandRunner::FormFailure(const absl::Status& status, absl::string_view what) const {
  io_.err << ErrorLine(status) << "; nothing was " << what << "\n";
  return kExitUsage;
}

std::string CommandRunner::RetryWithRequestIdHint(absl::string_view request_id) {
  return absl::StrCat("to retry without risking a duplicate, add --request_id=", request_id);
}

std::string CommandRunner::RequestIdFromFlag() {
  const TextFlag request_id = absl::GetFlag(FLAGS_request_id);
  return request_id.given ? request_id.value : NewRequestId();
}

}  // namespace velknee::cli
