#ifndef VELKNEE_CLIENTS_CLI_RESTRICTION_FAILURE_H_
#define VELKNEE_CLIENTS_CLI_RESTRICTION_FAILURE_H_

// How a refusal for breaking screening restrictions reads, for every record
// whose techniques are checked against a screening (a plan's `techniques`, a
// session note's `applied`): one error block instead of one long line, each
// breach on its own line with the technique next to the restriction that
// blocks it. Every breach line is read from the RestrictionBreach details
// (proto/velknee/common/v1/error_details.proto), never from the message, so
// a change of the server's wording cannot break it.

#include <string>

#include "grpcpp/support/status.h"

namespace velknee::cli {

// What a failed create or update prints on stderr, ending in a newline.
// Usually the one ErrorLine. When `status` carries RestrictionBreach details
// it is the error line with the summary the server puts in the ErrorInfo
// metadata (kBreachSummaryKey), e.g.
//   error: FAILED_PRECONDITION: the session breaks the client's screening restrictions
// (the whole message when the metadata has none), and one indented line per
// breach, in the server's order:
//   applied[1] deep tissue on hamstrings (back of the thigh), both sides, deep
//   pressure — blocked by: No deep tissue anywhere: client takes blood thinners
std::string RestrictionFailureText(const grpc::Status& status);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_RESTRICTION_FAILURE_H_
