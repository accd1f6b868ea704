// velknee-desk: the front-desk reference client. Shows how a reception desk
// uses velknee: registering and finding clients, managing therapists and
// their working hours (with an ADMIN token), finding free slots, booking
// single appointments and a plan's whole series, moving appointments through
// check-in, cancellation and no-shows, and printing the day sheet. Never
// shows clinical content; a FRONT_DESK token could not read it anyway, and
// the clinical commands are not even linked in.

#include <iostream>
#include <string>
#include <vector>

#include "clients/cli/connection.h"
#include "clients/cli/desk_program.h"

int main(int argc, char** argv) {
  velknee::cli::QuietGrpcLogging();
  const velknee::cli::ProgramInfo program = velknee::cli::DeskProgram();
  const velknee::cli::CommandIo io{program.name, std::cout, std::cerr, std::cin};
  return velknee::cli::RunProgram(program, velknee::cli::DeskCommands(),
                                  std::vector<std::string>(argv + 1, argv + argc), io);
}
