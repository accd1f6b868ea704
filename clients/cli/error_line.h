#ifndef VELKNEE_CLIENTS_CLI_ERROR_LINE_H_
#define VELKNEE_CLIENTS_CLI_ERROR_LINE_H_

// How a failed call reads on a terminal. A person at the front desk needs the
// code, the field and the rule in one line they can act on; a script needs a
// single stderr line and a non-zero exit. The google.rpc.Status details carry
// the full list of bad fields and unmet preconditions, which the message may
// have summarised, so both are merged here.

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace velknee::cli {

// Exit codes of the reference clients, so scripts can tell a rejected call
// from a mistyped command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCallFailed = 1;
inline constexpr int kExitUsage = 2;

// One line, without a trailing newline:
//   error: INVALID_ARGUMENT: client.phone: must be 7 to 15 digits
// Field violations (`field: description`) and precondition violations
// (`subject: description`) from the details are appended, separated by "; ",
// unless the message already says them: a precondition violation whose
// description the message contains is left out even when the message does
// not name its subject. Control characters become spaces so
// the line stays one line whatever the server sent.
std::string ErrorLine(const grpc::Status& status);

// The same for an error found locally (bad flag value, unreadable token file).
std::string ErrorLine(const absl::Status& status);

// `text` with every control character (newlines included) turned into a space, so a line built
// from what a server sent stays one line.
std::string OneLine(std::string text);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_ERROR_LINE_H_
