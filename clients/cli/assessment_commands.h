#ifndef VELKNEE_CLIENTS_CLI_ASSESSMENT_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_ASSESSMENT_COMMANDS_H_

// `intake new|show|edit|submit|list`: the intake-assessment commands of the
// therapist's reference client (velknee-tablet). `new` takes the guided form
// (intake_form.h) on standard input, or proto JSON from --from_file for
// scripts; `submit` and `show` write the screening out in plain words
// (plain_words.h).
//
// The commands read their flags (defined in assessment_commands.cc,
// command.cc, update_mask.cc and connection.cc) once program.h has parsed the
// command line.

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

// Registers `intake new|show|edit|submit|list`. `new` (and `edit` without
// --from_file) reads the form's answers from the command's input; its
// questions go to the output, or to the error stream with --json so that
// standard output stays one JSON document. A command exits kExitUsage after
// a bad --from_file or --time_zone, or a form that ended early or got too
// many bad answers (nothing is sent then). Times are shown in --time_zone.
void RegisterIntakeCommands(CommandRegistry& registry);

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
