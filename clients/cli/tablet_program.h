#ifndef VELKNEE_CLIENTS_CLI_TABLET_PROGRAM_H_
#define VELKNEE_CLIENTS_CLI_TABLET_PROGRAM_H_

// velknee-tablet as a whole: its name, help text and commands (clients,
// intake, plan, note, progress), so that main() and the tests run the same
// program.

#include "clients/cli/command_registry.h"
#include "clients/cli/program.h"

namespace velknee::cli {

ProgramInfo TabletProgram();
CommandRegistry TabletCommands();

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_TABLET_PROGRAM_H_
