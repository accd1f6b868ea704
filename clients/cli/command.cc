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

ABSL_FLAG(TextFlag, client, {}, "The client, clients/ID (or only the ID).");
ABSL_FLAG(TextFlag, plan, {}, "The treatment plan, clients/ID/plans/ID.");
ABSL_FLAG(TextFlag, reason, {}, "Why the plan or appointment ends, e.g. \"client moved away\".");
ABSL_FLAG(TextFlag, request_id, {},
          "Idempotency key; default a fresh random one. Reuse the one from a failed command to "
          "retry it without creating a duplicate.");
ABSL_FLAG(TextFlag, etag, {},
          "Only change the record if it still has this etag (from show); otherwise the call "
          "fails with ABORTED.");
ABSL_FLAG(int32_t, page_size, 0, "Records per page; 0 means the server default (50).");
ABSL_FLAG(TextFlag, page_token, {}, "The token printed by the previous page.");
ABSL_FLAG(TextFlag, time_zone, {},
          "The clinic's time zone in which dates and times are shown and typed, an IANA name "
          "such as Europe/London; default this machine's zone.");

namespace velknee::cli {

FlagSpec ClientFlag(bool required) { return {"client", "clients/ID", required}; }
FlagSpec PlanFlag(bool required) { return {"plan", "clients/ID/plans/ID", required}; }
FlagSpec RequestIdFlag() { return {"request_id", "ID"}; }
FlagSpec EtagFlag() { return {"etag", "E"}; }
FlagSpec PageSizeFlag() { return {"page_size", "N"}; }
FlagSpec PageTokenFlag() { return {"page_token", "T"}; }
FlagSpec TimeZoneFlag() { return {"time_zone", "ZONE"}; }

absl::StatusOr<absl::TimeZone> TimeZoneFromFlag() {
  return TimeZoneNamed(absl::GetFlag(FLAGS_time_zone).value, "--time_zone");
}

int WithConnection(const CommandIo& io, absl::FunctionRef<int(const Connection&)> body) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::OpenFromFlags();
  if (!connection.ok()) {
    io.err << ErrorLine(connection.status()) << "\n";
    return kExitUsage;
  }
  return body(**connection);
}

int UsageError(const CommandIo& io, absl::string_view problem) {
  io.err << ErrorLine(absl::InvalidArgumentError(problem)) << "\n";
  return kExitUsage;
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
