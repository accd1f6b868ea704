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
// The commands read their flags (defined in plan_commands.cc, command.cc,
// update_mask.cc and connection.cc) once program.h has parsed the command
// line.

#include <istream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/command_registry.h"
#include "velknee/plans/v1/treatment_plan.pb.h"
#include "velknee/plans/v1/treatment_plan_service.pb.h"

namespace velknee::cli {

// Registers `plan new|show|edit|activate|complete|discontinue|list`. `new`
// (and `edit` without --from_file) reads the form's answers from the
// command's input. A command exits kExitUsage after a bad --from_file or
// --time_zone, or a form that ended early or got too many bad answers
// (nothing is sent then). Times are shown in --time_zone.
void RegisterPlanCommands(CommandRegistry& registry);

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
