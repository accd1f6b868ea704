#include "tests/harness/role_matrix.h"

#include <chrono>
#include <string>

#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace velknee::test {

void CallAsEveryRole(const ClinicServer& server, absl::string_view method, const RoleCall& call,
                     const std::function<void(Role, const grpc::Status&)>& check) {
  for (Role role : kAllRoles) {
    grpc::ClientContext context;
    server.Prepare(context, role);
    check(role, call(&context));
  }
  grpc::ClientContext anonymous;
  anonymous.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  EXPECT_THAT(call(&anonymous), StatusIs(absl::StatusCode::kUnauthenticated))
      << method << " without a token";
  grpc::ClientContext forged;
  PrepareContext(forged, "vkt_not-a-real-token", absl::Now() + absl::Seconds(10));
  EXPECT_THAT(call(&forged), StatusIs(absl::StatusCode::kUnauthenticated))
      << method << " with an unknown token";
}

void ExpectDenied(const grpc::Status& status, absl::string_view method, Role role) {
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied,
                               ::testing::HasSubstr(std::string(RoleName(role)))))
      << method << " as " << RoleName(role);
}

}  // namespace velknee::test
