#include "common/auth/principal.h"

#include <array>
#include <utility>

namespace velknee {
namespace {

constexpr std::array<std::pair<Role, absl::string_view>, 4> kRoleNames = {{
    {Role::kTherapist, "therapist"},
    {Role::kFrontDesk, "front_desk"},
    {Role::kService, "service"},
    {Role::kAdmin, "admin"},
}};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [value, role_name] : kRoleNames) {
    if (role_name == name) return value;
  }
  return std::nullopt;
}

}  // namespace velknee
