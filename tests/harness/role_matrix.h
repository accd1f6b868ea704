#ifndef VELKNEE_TESTS_HARNESS_ROLE_MATRIX_H_
#define VELKNEE_TESTS_HARNESS_ROLE_MATRIX_H_

// Walking one row of the access table: a method called as every role, with no token and with a
// token nobody issued.

#include <functional>

#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tests/harness/clinic_server.h"

namespace velknee::test {

using RoleCall = std::function<grpc::Status(grpc::ClientContext*)>;

// Calls `call` once as each role of kAllRoles (with `server`'s token for it) and hands each
// status to `check`; then once without a token and once with an unknown token, expecting
// UNAUTHENTICATED from both. `method` names the call in failure messages.
void CallAsEveryRole(const ClinicServer& server, absl::string_view method, const RoleCall& call,
                     const std::function<void(Role, const grpc::Status&)>& check);

// Expects PERMISSION_DENIED naming `role`.
void ExpectDenied(const grpc::Status& status, absl::string_view method, Role role);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_HARNESS_ROLE_MATRIX_H_
