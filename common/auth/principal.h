#ifndef VELKNEE_COMMON_AUTH_PRINCIPAL_H_
#define VELKNEE_COMMON_AUTH_PRINCIPAL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace velknee {

// What a caller may do, by the kind of caller it is (DESIGN §1).
enum class Role {
  kTherapist,
  kFrontDesk,
  kService,
  kAdmin,
};

// "therapist", "front_desk", "service", "admin": the spelling of tokens files and flags.
absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

// The authenticated caller behind a token.
struct Principal {
  std::string id;  // e.g. "desk-1"; appears in audit events and request logs.
  Role role = Role::kFrontDesk;
  std::string therapist;  // For THERAPIST tokens, "therapists/{therapist}"; else empty.
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUTH_PRINCIPAL_H_
