#ifndef VELKNEE_CLIENTS_CLI_DESK_PROGRAM_H_
#define VELKNEE_CLIENTS_CLI_DESK_PROGRAM_H_

// velknee-desk as a whole: its name, help text and commands (clients,
// therapists, slots, booking, the day sheet), so that main() and the tests
// run the same program.

#include "clients/cli/command_registry.h"
#include "clients/cli/program.h"

namespace velknee::cli {

ProgramInfo DeskProgram();
CommandRegistry DeskCommands();

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_DESK_PROGRAM_H_
