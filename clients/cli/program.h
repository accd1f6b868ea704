#ifndef VELKNEE_CLIENTS_CLI_PROGRAM_H_
#define VELKNEE_CLIENTS_CLI_PROGRAM_H_

// The start of every reference client's main(): quiet gRPC logging, the
// --help text (the program's commands, then the connection flags and exit
// statuses they all share), --version, and the command line parsed with flag
// names written with dashes or underscores. Kept here so velknee-desk and
// velknee-tablet behave alike before any command runs.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace velknee::cli {

struct ProgramInfo {
  std::string name;         // "velknee-tablet"
  std::string description;  // "the velknee therapist tablet client."
  std::string synopsis;     // the commands, one per line (the groups' *Usage)
  std::string notes;        // extra paragraphs for --help; may be empty
};

// Sets up logging and --help from `info`, parses the flags (exiting as absl
// does on --help or a bad flag) and returns the positional arguments after
// the program name.
std::vector<std::string> StartProgram(int argc, char** argv, const ProgramInfo& info);

// "error: <problem>", the synopsis and a pointer to --help on stderr;
// returns kExitUsage.
int ProgramUsageError(const ProgramInfo& info, absl::string_view problem);

// "--from-file=x" becomes "--from_file=x": the flags are declared with
// underscores, and people type both. Only the name part changes, never a
// value, and nothing after a bare "--". argv[0] is kept as is.
std::vector<std::string> WithUnderscoredFlagNames(const std::vector<std::string>& args);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PROGRAM_H_
