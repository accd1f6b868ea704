#ifndef VELKNEE_CLIENTS_CLI_FLAG_SPEC_H_
#define VELKNEE_CLIENTS_CLI_FLAG_SPEC_H_

// How a command takes one flag, for the command registry
// (command_registry.h). Kept apart so that the headers defining shared flags
// (connection.h, command.h) can export each flag's spec beside the flag.

#include <string>
#include <utility>

namespace velknee::cli {

// A flag a command takes.
struct FlagSpec {
  FlagSpec(std::string name, std::string value, bool required = false, std::string purpose = "",
           std::string goes_with = "")
      : name(std::move(name)),
        value(std::move(value)),
        required(required),
        purpose(std::move(purpose)),
        goes_with(std::move(goes_with)) {}

  std::string name;       // as declared with ABSL_FLAG: "given_name"
  std::string value;      // what the value looks like in help, "NAME"; empty for a switch
  bool required;          // the command refuses to run unless it is given a non-empty value
  std::string purpose;    // said after a missing required flag: "why the plan stops"
  std::string goes_with;  // a flag it needs beside it: update_mask goes with from_file
  // Shown as required in help, but left to the server to refuse when missing, so that one
  // answer names every missing field at once (`clients add`).
  bool required_by_server = false;

  // Whether help and the synopsis show it as required.
  bool ShownRequired() const { return required || required_by_server; }
};

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_FLAG_SPEC_H_
