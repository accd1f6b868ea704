#ifndef VELKNEE_CLIENTS_CLI_CLIENT_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_CLIENT_COMMANDS_H_

// `clients add|show|find|edit|archive`: the client-registration commands of
// the reference clients. Both velknee-desk and velknee-tablet register and
// look up clients, and a receptionist and a therapist should see the same
// output and errors, so the commands live here once and each executable only
// dispatches to them.
//
// The commands read their flags (defined in client_commands.cc, command.cc
// and connection.cc) once program.h has parsed the command line.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "clients/cli/command.h"
#include "clients/cli/command_registry.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee::cli {

// Registers `clients add|show|find|edit|archive`.
void RegisterClientCommands(CommandRegistry& registry);

// The text form of one client, as `show`, `add`, `edit` and `archive` print it.
std::string ClientBlock(const intake::v1::Client& client);

// The text form of one page of `find`, with a hint naming the command for the
// next page when there is one. The hint repeats the flags of `request`
// because the server binds page tokens to the query.
std::string ClientTable(const intake::v1::ListClientsResponse& page, absl::string_view program,
                        const intake::v1::ListClientsRequest& request);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_CLIENT_COMMANDS_H_
