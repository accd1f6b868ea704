#ifndef VELKNEE_TESTS_HARNESS_ROLE_MATRIX_H_
#define VELKNEE_TESTS_HARNESS_ROLE_MATRIX_H_

// Walking a service's rows of the access table (DESIGN §4) through a real server: each method
// called as every role, with no token and with a token nobody issued, and the audit row each
// refusal leaves.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tests/harness/clinic_server.h"

namespace velknee::test {

// One method of the walk.
struct AccessRow {
  std::string method;      // Its short name, "GetClient".
  std::set<Role> allowed;  // The roles that may call it.
  // What an allowed role gets: the request names nothing that exists or is invalid on purpose,
  // so that nothing is stored.
  absl::StatusCode allowed_code;
  // Makes the call in the given context.
  std::function<grpc::Status(grpc::ClientContext*)> call;
};

// Calls each row's method once as each role of kAllRoles (with `server`'s token for it), once
// without a token and once with an unknown token, on hosted service `service` ("intake") whose
// full method names start with `method_prefix` ("/velknee.intake.v1.IntakeService/"). Expects
// `allowed_code` for an allowed role, PERMISSION_DENIED naming the role (reason
// ROLE_NOT_ALLOWED) for any other, UNAUTHENTICATED without a valid token; and for every refused
// call exactly one new row in the service's audit log: the caller's principal and role (both
// empty without a valid token), the full method, no resource and the code. Returns how many
// calls were denied a role.
int WalkAccessTable(const ClinicServer& server, absl::string_view service,
                    absl::string_view method_prefix, const std::vector<AccessRow>& rows);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_HARNESS_ROLE_MATRIX_H_
