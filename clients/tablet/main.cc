// velknee-tablet: the therapist's reference client. Shows how a treatment
// room uses velknee: registering and finding clients (the same commands as
// the desk), taking intake assessments with the guided form and submitting
// them for the contraindication screening, and writing treatment plans within
// the restrictions that screening set, signing SOAP session notes under an
// active plan, and following the plan's progress.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/assessment_commands.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/note_commands.h"
#include "clients/cli/plan_commands.h"
#include "clients/cli/program.h"

int main(int argc, char** argv) {
  constexpr char kProgram[] = "velknee-tablet";
  const velknee::cli::ProgramInfo program = {
      kProgram, "the velknee therapist tablet client.",
      absl::StrCat(velknee::cli::ClientsUsage(kProgram), velknee::cli::IntakeUsage(kProgram),
                   velknee::cli::PlanUsage(kProgram), velknee::cli::NoteUsage(kProgram),
                   velknee::cli::ProgressUsage(kProgram)),
      "\n`intake new`, `plan new` and `note new` without --from_file ask their form question "
      "by question\non standard input (answers may be piped, one per line).\n"
      "Times are asked and shown in the clinic's time zone: --time_zone=IANA name (e.g.\n"
      "Europe/London), default this machine's zone.\n"};
  std::vector<std::string> args = velknee::cli::StartProgram(argc, argv, program);
  if (args.empty()) return velknee::cli::ProgramUsageError(program, "missing command");
  const std::string group = args[0];
  args.erase(args.begin());
  velknee::cli::CommandIo io{kProgram, std::cout, std::cerr};
  if (group == "clients") return velknee::cli::RunClientsCommand(args, io);
  if (group == "intake") return velknee::cli::RunIntakeCommand(args, io, std::cin);
  if (group == "plan") return velknee::cli::RunPlanCommand(args, io, std::cin);
  if (group == "note") return velknee::cli::RunNoteCommand(args, io, std::cin);
  if (group == "progress") return velknee::cli::RunProgressCommand(args, io);
  return velknee::cli::ProgramUsageError(program, absl::StrCat("unknown command \"", group, "\""));
}
