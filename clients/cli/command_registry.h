#ifndef VELKNEE_CLIENTS_CLI_COMMAND_REGISTRY_H_
#define VELKNEE_CLIENTS_CLI_COMMAND_REGISTRY_H_

// The commands a reference client knows, each registered once by its group
// (clients_commands, therapist_commands, booking_commands, ...): its words,
// what it takes after them, its flags and a one-line summary. The program
// (program.h) matches a command line against the registry, checks it (an
// unknown command, a missing or extra argument, a flag the command does not
// take, a required flag left out are usage errors) and runs the command; the
// --help texts are made from the same entries, so what a command accepts and
// what its help says cannot drift apart.
//
// Flags stay absl flags (ABSL_FLAG, declared where they are read); an entry
// names the ones its command takes. A flag's help text is the one its
// ABSL_FLAG gives.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/command.h"
#include "clients/cli/flag_spec.h"

namespace velknee::cli {

// A command line that matched a command.
struct Invocation {
  std::string command;  // the command's words, "clients show"
  std::string name;     // the resource name after them; empty when the command takes none
};

// One command: `words` after the program's name, then `operand` when it
// takes one, then its flags.
struct CommandSpec {
  std::vector<std::string> words;  // {"clients", "add"} or {"book"}
  std::string summary;             // one line for --help: "register a new client"
  std::string operand;             // "clients/ID"; empty when the command takes none
  std::string operand_meaning;     // "the client's resource name"
  std::vector<FlagSpec> flags;
  // Runs the command once the line was checked. Returns kExitOk,
  // kExitCallFailed after one error line, or kExitUsage after one.
  std::function<int(const Invocation&, const CommandIo&)> run;
};

// A command's `run` for a command that takes a resource name: runs
// `call(runner, name)` with a `Runner` from WithZonedRunner (command.h).
template <typename Runner, typename Call>
std::function<int(const Invocation&, const CommandIo&)> OnNamedRecord(Call call) {
  return [call](const Invocation& invocation, const CommandIo& io) {
    return WithZonedRunner<Runner>(io,
                                   [&](Runner& runner) { return call(runner, invocation.name); });
  };
}

// The commands of one program, in the order --help lists them.
class CommandRegistry {
 public:
  void Add(CommandSpec spec) { commands_.push_back(std::move(spec)); }

  const std::vector<CommandSpec>& commands() const { return commands_; }

  // The command that `words` (the positional words of a command line) name:
  // the longest registered one they start with. INVALID_ARGUMENT saying what
  // is wrong ("unknown command \"x\"", "missing clients command", "unknown
  // clients command \"x\"") otherwise.
  absl::StatusOr<const CommandSpec*> Find(const std::vector<std::string>& words) const;

  // Whether `word` starts commands of two or more words ("clients").
  bool IsGroup(absl::string_view word) const;

  // Whether some command takes --`name`.
  bool AnyCommandTakes(absl::string_view name) const;

 private:
  std::vector<CommandSpec> commands_;
};

// "clients add" for {"clients", "add"}.
std::string CommandName(const CommandSpec& spec);

// "clients add --given_name=G [--email=E] ...": the command's words, operand
// and flags, optional ones in brackets, without the program's name.
std::string CommandSynopsis(const CommandSpec& spec);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_COMMAND_REGISTRY_H_
