#include "clients/cli/error_line.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"

namespace velknee::cli {
namespace {

// What the user can do about a code whose message alone does not say it.
absl::string_view Hint(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnauthenticated:
      return "check --token_file or VELKNEE_TOKEN";
    default:
      return "";
  }
}

}  // namespace

std::string ErrorLine(const grpc::Status& status) {
  const absl::StatusCode code = static_cast<absl::StatusCode>(status.error_code());
  std::string message = status.error_message();
  std::vector<std::string> extra;
  auto add_unless_said = [&](std::string item) {
    if (!item.empty() && !absl::StrContains(message, item)) {
      extra.push_back(std::move(item));
    }
  };
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& any : details.details()) {
    if (google::rpc::BadRequest bad_request; any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        add_unless_said(v.field().empty() ? v.description()
                                          : absl::StrCat(v.field(), ": ", v.description()));
      }
    } else if (google::rpc::PreconditionFailure failure; any.UnpackTo(&failure)) {
      for (const auto& v : failure.violations()) {
        // Servers list each description in the message already (velknee's
        // names its subject in the description); repeating it with the
        // subject in front would only say it twice.
        if (absl::StrContains(message, v.description())) continue;
        add_unless_said(v.subject().empty() ? v.description()
                                            : absl::StrCat(v.subject(), ": ", v.description()));
      }
    }
  }
  std::string line = absl::StrCat("error: ", absl::StatusCodeToString(code));
  if (!message.empty()) absl::StrAppend(&line, ": ", message);
  if (!extra.empty()) {
    absl::StrAppend(&line, message.empty() ? ": " : "; ", absl::StrJoin(extra, "; "));
  }
  if (absl::string_view hint = Hint(code); !hint.empty()) {
    absl::StrAppend(&line, " (", hint, ")");
  }
  return OneLine(std::move(line));
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text;
}

std::string ErrorLine(const absl::Status& status) {
  return OneLine(absl::StrCat("error: ", status.message()));
}

}  // namespace velknee::cli
