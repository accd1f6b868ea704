#ifndef VELKNEE_CLIENTS_CLI_CLIENT_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_CLIENT_COMMANDS_H_

// `clients add|show|find|edit|archive`: the client-registration commands of
// the reference clients. Both velknee-desk and velknee-tablet register and
// look up clients, and a receptionist and a therapist should see the same
// output and errors, so the commands live here once and each executable only
// dispatches to them.
//
// The commands read their flags (defined in client_commands.cc, command.cc
// and connection.cc) after absl::ParseCommandLine has run in main().

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "clients/cli/command.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee::cli {

// Runs one `clients` command. `args` are the positional arguments after
// "clients", e.g. {"show", "clients/abc"}. Returns the process exit code:
// kExitOk, kExitCallFailed after printing one error line to `io.err`, or
// kExitUsage after printing usage text to `io.err`.
int RunClientsCommand(const std::vector<std::string>& args, const CommandIo& io);

// The synopsis of the `clients` commands, one per line, for --help and usage
// errors.
std::string ClientsUsage(absl::string_view program);

// The clients-only flags that were given ("--phone", "--query", ...), so
// other command groups can refuse them instead of silently ignoring them.
// (The flags of command.h are shared with other groups.)
std::vector<std::string> ClientsFlagsGiven();

// The text form of one client, as `show`, `add`, `edit` and `archive` print it.
std::string ClientBlock(const intake::v1::Client& client);

// The text form of one page of `find`, with a hint naming the command for the
// next page when there is one. The hint repeats the flags of `request`
// because the server binds page tokens to the query.
std::string ClientTable(const intake::v1::ListClientsResponse& page, absl::string_view program,
                        const intake::v1::ListClientsRequest& request);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_CLIENT_COMMANDS_H_
