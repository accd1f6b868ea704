#ifndef VELKNEE_TESTS_CLIENTS_COMMAND_LINE_H_
#define VELKNEE_TESTS_CLIENTS_COMMAND_LINE_H_

// Runs a command line as velknee-desk or velknee-tablet does: the same
// commands registered, the same parsing, help and usage errors, with the
// streams of the test. Keep an absl::FlagSaver alive around it: the flags a
// line gives stay set.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace velknee::cli {

// `args` are the words after the program's name.
int RunDeskLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                std::istream& in);
int RunTabletLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                  std::istream& in);

}  // namespace velknee::cli

#endif  // VELKNEE_TESTS_CLIENTS_COMMAND_LINE_H_
