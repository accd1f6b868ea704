#include "tests/clients/command_line.h"

#include "clients/cli/desk_program.h"
#include "clients/cli/tablet_program.h"

namespace velknee::cli {

int RunDeskLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                std::istream& in) {
  const ProgramInfo program = DeskProgram();
  return RunProgram(program, DeskCommands(), args, CommandIo{program.name, out, err, in});
}

int RunTabletLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                  std::istream& in) {
  const ProgramInfo program = TabletProgram();
  return RunProgram(program, TabletCommands(), args, CommandIo{program.name, out, err, in});
}

}  // namespace velknee::cli
