// velknee-tablet: the therapist's reference client. Shows how a treatment
// room uses velknee: registering and finding clients (the same commands as
// the desk), taking intake assessments with the guided form and submitting
// them for the contraindication screening, and writing treatment plans within
// the restrictions that screening set, signing SOAP session notes under an
// active plan, and following the plan's progress.

#include <iostream>
#include <string>
#include <vector>

#include "clients/cli/connection.h"
#include "clients/cli/tablet_program.h"

int main(int argc, char** argv) {
  velknee::cli::QuietGrpcLogging();
  const velknee::cli::ProgramInfo program = velknee::cli::TabletProgram();
  const velknee::cli::CommandIo io{program.name, std::cout, std::cerr, std::cin};
  return velknee::cli::RunProgram(program, velknee::cli::TabletCommands(),
                                  std::vector<std::string>(argv + 1, argv + argc), io);
}
