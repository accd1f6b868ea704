#include "clients/cli/tablet_program.h"

#include "clients/cli/assessment_commands.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/note_commands.h"
#include "clients/cli/plan_commands.h"

namespace velknee::cli {

ProgramInfo TabletProgram() {
  return {"velknee-tablet", "the velknee therapist tablet client.",
          "\n`intake new`, `plan new` and `note new` without --from_file ask their form question "
          "by question\non standard input (answers may be piped, one per line).\n"
          "Times are asked and shown in the clinic's time zone: --time_zone=IANA name (e.g.\n"
          "Europe/London), default this machine's zone.\n"};
}

CommandRegistry TabletCommands() {
  CommandRegistry registry;
  RegisterClientCommands(registry);
  RegisterIntakeCommands(registry);
  RegisterPlanCommands(registry);
  RegisterNoteCommands(registry);
  return registry;
}

}  // namespace velknee::cli
