#ifndef VELKNEE_CLIENTS_CLI_ASSESSMENT_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_ASSESSMENT_COMMANDS_H_

// `intake new|show|edit|submit|list`: the intake-assessment commands of the
// therapist's reference client (velknee-tablet). `new` takes the guided form
// (intake_form.h) on standard input, or proto JSON from --from_file for
// scripts; `submit` and `show` write the screening out in plain words
// (plain_words.h).
//
// The commands read their flags (defined in assessment_commands.cc,
// command.cc and connection.cc) after absl::ParseCommandLine has run.

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/update_mask.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee::cli {

// Runs one `intake` command. `args` are the positional arguments after
// "intake", e.g. {"submit", "clients/a/assessments/b"}; `in` holds the form's
// answers for `intake new` (and `intake edit` without --from_file). Returns
// kExitOk; kExitCallFailed after one error line on `io.err` when the server
// refused or failed a call; kExitUsage after a usage error, a bad --from_file
// or --time_zone, or a form that ended early or got too many bad answers
// (nothing is sent then). Times are shown in --time_zone.
//
// The form's questions go to `io.out`, or to `io.err` with --json so that
// standard output stays one JSON document.
int RunIntakeCommand(const std::vector<std::string>& args, const CommandIo& io, std::istream& in);

// The synopsis of the `intake` commands, one per line.
std::string IntakeUsage(absl::string_view program);

// The intake-only flags that were given ("--client", ...), so other command
// groups can refuse them instead of silently ignoring them.
std::vector<std::string> IntakeFlagsGiven();

// The text form of one assessment, as `show`, `new` and `edit` print it; a
// submitted one ends with its screening in plain words. Times are shown in
// `time_zone`.
std::string AssessmentBlock(const intake::v1::Assessment& assessment, absl::TimeZone time_zone);

// The text form of one page of `list`, with a hint naming the command for
// the next page when there is one. Times are shown in `time_zone`.
std::string AssessmentTable(const intake::v1::ListAssessmentsResponse& page,
                            absl::string_view program,
                            const intake::v1::ListAssessmentsRequest& request,
                            absl::TimeZone time_zone);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_ASSESSMENT_COMMANDS_H_
