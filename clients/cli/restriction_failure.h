#ifndef VELKNEE_CLIENTS_CLI_RESTRICTION_FAILURE_H_
#define VELKNEE_CLIENTS_CLI_RESTRICTION_FAILURE_H_

// How a refusal for breaking screening restrictions reads, for every record
// whose techniques are checked against a screening (a plan's `techniques`, a
// session note's `applied`): one error block instead of one long line, each
// breach on its own line with the technique as the therapist entered it next
// to the restriction that blocks it.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace velknee::cli {

// What a failed create or update prints on stderr, ending in a newline.
// Usually the one ErrorLine. When every precondition violation of `status`
// is a restriction breach of `field[i]` (as FindRestrictionBreaches writes
// them), it is the error line with the server's summary, e.g.
//   error: FAILED_PRECONDITION: the session breaks the client's screening restrictions
// and one indented line per breach:
//   applied[0] deep tissue on hamstrings (back of the thigh), both sides, deep
//   pressure — blocked by: No deep tissue anywhere: client takes blood thinners
// `work[i]` is the i-th technique as sent, in plain words; the server's own
// words are used for an index `work` does not hold.
std::string RestrictionFailureText(const grpc::Status& status, absl::string_view field,
                                   const std::vector<std::string>& work);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_RESTRICTION_FAILURE_H_
