#ifndef VELKNEE_CLIENTS_CLI_PLAN_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_PLAN_COMMANDS_H_

// `plan new|show|edit|activate|complete|discontinue|list`: the treatment-plan
// commands of the therapist's reference client (velknee-tablet). `new` reads
// the assessment first and prints its screening in plain words, then takes
// the guided plan form (plan_form.h) on standard input, or proto JSON from
// --from_file for scripts. A plan the server refuses because a technique
// breaks a screening restriction is shown technique by technique, each next
// to the restriction that blocks it.
//
// The commands read their flags (defined in plan_commands.cc, command.cc and
// connection.cc) after absl::ParseCommandLine has run.

#include <istream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "velknee/plans/v1/treatment_plan.pb.h"
#include "velknee/plans/v1/treatment_plan_service.pb.h"

namespace velknee::cli {

// Runs one `plan` command. `args` are the positional arguments after "plan",
// e.g. {"activate", "clients/a/plans/b"}; `in` holds the form's answers for
// `plan new` (and `plan edit` without --from_file). Returns kExitOk;
// kExitCallFailed after an error on `io.err` when the server refused or
// failed a call; kExitUsage after a usage error, a bad --from_file or
// --time_zone, or a form that ended early or got too many bad answers
// (nothing is sent then). Times are shown in --time_zone.
int RunPlanCommand(const std::vector<std::string>& args, const CommandIo& io, std::istream& in);

// The synopsis of the `plan` commands, one per line.
std::string PlanUsage(absl::string_view program);

// The plan-only flags that were given ("--assessment", "--reason",
// "--state"), so other command groups can refuse them.
std::vector<std::string> PlanFlagsGiven();

// "clients/X" for "clients/X/assessments/Y"; "" when `assessment` is not an
// assessment's resource name.
std::string ClientOfAssessment(absl::string_view assessment);

// The text form of one plan, as `show`, `new`, `edit` and the state changes
// print it: goals, techniques, cadence, home care, state, and the copied
// screening in plain words at the end. Times are shown in `time_zone`.
std::string PlanBlock(const plans::v1::TreatmentPlan& plan, absl::TimeZone time_zone);

// The text form of one page of `list`, with a hint naming the command for
// the next page when there is one. Times are shown in `time_zone`.
std::string PlanTable(const plans::v1::ListPlansResponse& page, absl::string_view program,
                      const plans::v1::ListPlansRequest& request, absl::TimeZone time_zone);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PLAN_COMMANDS_H_
