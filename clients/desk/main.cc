// velknee-desk: the front-desk reference client. Shows how a reception desk
// uses velknee: registering and finding clients (and, in later issues,
// booking). Never shows clinical content; a FRONT_DESK token could not read
// it anyway.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/program.h"

int main(int argc, char** argv) {
  const velknee::cli::ProgramInfo program = {
      "velknee-desk", "the velknee front-desk client.",
      velknee::cli::ClientsUsage("velknee-desk"), ""};
  std::vector<std::string> args = velknee::cli::StartProgram(argc, argv, program);
  if (args.empty()) return velknee::cli::ProgramUsageError(program, "missing command");
  if (args[0] != "clients") {
    return velknee::cli::ProgramUsageError(program,
                                           absl::StrCat("unknown command \"", args[0], "\""));
  }
  args.erase(args.begin());
  velknee::cli::CommandIo io{program.name, std::cout, std::cerr};
  return velknee::cli::RunClientsCommand(args, io);
}
