#ifndef VELKNEE_SERVICES_SERVER_COMMANDS_H_
#define VELKNEE_SERVICES_SERVER_COMMANDS_H_

// The subcommands of velknee-server. Each reads its flags (flags.h), prints what it did or one
// clear error line, and returns the process exit code.

#include <string>
#include <vector>

namespace velknee::server {

// velknee-server [flags]: hosts the chosen services until SIGTERM or SIGINT.
int Serve();

// velknee-server tokens add|list|revoke.
int TokensCommand(const std::vector<std::string>& args);

// velknee-server audit verify.
int AuditCommand(const std::vector<std::string>& args);

}  // namespace velknee::server

#endif  // VELKNEE_SERVICES_SERVER_COMMANDS_H_
