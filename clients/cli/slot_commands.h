#ifndef VELKNEE_CLIENTS_CLI_SLOT_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_SLOT_COMMANDS_H_

// The desk's `slots` command: the free slots of a therapist, or of every
// therapist offering a technique, day by day in the clinic's time zone.

#include "clients/cli/command_registry.h"

namespace velknee::cli {

// Registers `slots`.
void RegisterSlotCommands(CommandRegistry& registry);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_SLOT_COMMANDS_H_
