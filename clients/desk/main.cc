// velknee-desk: the front-desk reference client. Shows how a reception desk
// uses velknee: registering and finding clients, managing therapists and
// their working hours (with an ADMIN token), finding free slots, booking
// single appointments and a plan's whole series, moving appointments through
// check-in, cancellation and no-shows, and printing the day sheet. Never
// shows clinical content; a FRONT_DESK token could not read it anyway.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/program.h"
#include "clients/cli/scheduling_commands.h"

int main(int argc, char** argv) {
  constexpr char kProgram[] = "velknee-desk";
  const velknee::cli::ProgramInfo program = {
      kProgram, "the velknee front-desk client.",
      absl::StrCat(velknee::cli::ClientsUsage(kProgram), velknee::cli::SchedulingUsage(kProgram)),
      "\nTimes are typed and shown in the clinic's time zone: --time_zone=IANA name (e.g.\n"
      "Europe/London), default this machine's zone.\n"};
  std::vector<std::string> args = velknee::cli::StartProgram(argc, argv, program);
  if (args.empty()) return velknee::cli::ProgramUsageError(program, "missing command");
  velknee::cli::CommandIo io{kProgram, std::cout, std::cerr};
  if (args[0] == "clients") {
    args.erase(args.begin());
    return velknee::cli::RunClientsCommand(args, io);
  }
  if (args[0] == "therapists") {
    args.erase(args.begin());
    return velknee::cli::RunTherapistsCommand(args, io);
  }
  if (velknee::cli::IsSchedulingCommand(args[0])) {
    return velknee::cli::RunSchedulingCommand(args, io);
  }
  return velknee::cli::ProgramUsageError(program,
                                         absl::StrCat("unknown command \"", args[0], "\""));
}
