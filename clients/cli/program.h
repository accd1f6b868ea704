#ifndef VELKNEE_CLIENTS_CLI_PROGRAM_H_
#define VELKNEE_CLIENTS_CLI_PROGRAM_H_

// The whole of a reference client's main() after its commands are registered:
// reads the command line (flags may come anywhere, written --name=value,
// --name value or, for a switch, --name; names with dashes or underscores;
// "--" ends the flags), answers --help (the program's, a group's or one
// command's, made from the registry) and --version, refuses a line that
// cannot run with one usage error line, and runs the command. Kept here so
// velknee-desk and velknee-tablet behave alike before any command runs.

#include <string>
#include <vector>

#include "clients/cli/command.h"
#include "clients/cli/command_registry.h"

namespace velknee::cli {

struct ProgramInfo {
  std::string name;         // "velknee-tablet"
  std::string description;  // "the velknee therapist tablet client."
  std::string notes;        // extra paragraphs for the program's --help; may be empty
};

// Runs the command line `args` (argv without the program's name) against
// `registry`. Returns kExitOk after --help, --version or a command that
// succeeded; kExitUsage after one error line on `io.err` for an unknown
// command or flag, a missing or extra argument, a flag the command does not
// take, a missing required flag or a value a flag cannot hold; otherwise what
// the command returns.
int RunProgram(const ProgramInfo& info, const CommandRegistry& registry,
               const std::vector<std::string>& args, const CommandIo& io);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PROGRAM_H_
