#ifndef VELKNEE_CLIENTS_CLI_REQUEST_ID_H_
#define VELKNEE_CLIENTS_CLI_REQUEST_ID_H_

// Idempotency keys (AIP-155) for the create-like calls of the reference
// clients. A client makes one per command and sends it again with every retry
// of that command's call, so a create whose answer was lost on clinic Wi-Fi
// happens once.

#include <string>

namespace velknee::cli {

// A random UUID (version 4), the form AIP-155 recommends. Aborts the process
// if the OS entropy source fails: a predictable id could collide with another
// device's request.
std::string NewRequestId();

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_REQUEST_ID_H_
