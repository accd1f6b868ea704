#ifndef VELKNEE_COMMON_AUTH_ACCESS_POLICY_H_
#define VELKNEE_COMMON_AUTH_ACCESS_POLICY_H_

// Who may call what: the single method × role table of DESIGN §4. A method missing from the
// table is denied to everyone.

#include <span>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace velknee {

// A set of roles as bits.
using RoleSet = unsigned;
constexpr RoleSet RoleBit(Role role) { return 1u << static_cast<unsigned>(role); }

struct MethodAccess {
  absl::string_view method;  // Full gRPC method name, "/velknee.intake.v1.IntakeService/GetClient".
  RoleSet roles;
};

// Every row of the table, for tests that walk it.
std::span<const MethodAccess> AccessTable();

// OK when `role` may call `method`; PERMISSION_DENIED (reason ROLE_NOT_ALLOWED) naming the role
// and method otherwise.
absl::Status CheckAccess(Role role, absl::string_view method);

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUTH_ACCESS_POLICY_H_
