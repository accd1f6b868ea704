#include "tests/harness/role_matrix.h"

#include <chrono>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"

namespace velknee::test {
namespace {

// "principal|role|method|resource|code" of every audit row of `service` after row `*seen`, which
// then moves to the last row. The server hands a refusal to the audit queue before it answers,
// and database() writes the queue out, so a refused call's row is there once the call returns.
std::vector<std::string> NewAuditRows(const ClinicServer& server, absl::string_view service,
                                      int64_t* seen) {
  std::vector<std::string> rows;
  EXPECT_OK(server.database(std::string(service)).Read([&](SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT seq, principal, role, method, resource, code FROM audit_log "
                            "WHERE seq > ? ORDER BY seq");
    query.bind(1, *seen);
    while (query.executeStep()) {
      *seen = query.getColumn(0).getInt64();
      rows.push_back(
          absl::StrCat(query.getColumn(1).getString(), "|", query.getColumn(2).getString(), "|",
                       query.getColumn(3).getString(), "|", query.getColumn(4).getString(), "|",
                       query.getColumn(5).getInt()));
    }
    return absl::OkStatus();
  }));
  return rows;
}

}  // namespace

int WalkAccessTable(const ClinicServer& server, absl::string_view service,
                    absl::string_view method_prefix, const std::vector<AccessRow>& rows) {
  int denied = 0;
  int64_t seen = 0;
  NewAuditRows(server, service, &seen);
  for (const AccessRow& row : rows) {
    const std::string method = absl::StrCat(method_prefix, row.method);
    // Makes the call in `context` as `caller`; when it is refused, expects its one audit row,
    // naming `principal` and `role`.
    auto call = [&](grpc::ClientContext& context, absl::string_view caller,
                    absl::string_view principal, absl::string_view role) {
      const grpc::Status status = row.call(&context);
      const std::vector<std::string> audited = NewAuditRows(server, service, &seen);
      const grpc::StatusCode code = status.error_code();
      if (code == grpc::StatusCode::PERMISSION_DENIED ||
          code == grpc::StatusCode::UNAUTHENTICATED) {
        EXPECT_THAT(audited, ::testing::ElementsAre(absl::StrCat(principal, "|", role, "|", method,
                                                                 "||", static_cast<int>(code))))
            << method << " " << caller << ": a refused call leaves one audit row";
      }
      return status;
    };

    for (Role role : kAllRoles) {
      const std::string as_role = absl::StrCat("as ", RoleName(role));
      grpc::ClientContext context;
      server.Prepare(context, role);
      const grpc::Status status = call(context, as_role, server.principal_id(role), RoleName(role));
      if (row.allowed.contains(role)) {
        EXPECT_THAT(status, StatusIs(row.allowed_code)) << method << " " << as_role;
        continue;
      }
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied,
                                   ::testing::HasSubstr(std::string(RoleName(role)))))
          << method << " " << as_role;
      EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED") << method << " " << as_role;
      ++denied;
    }
    grpc::ClientContext anonymous;
    anonymous.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    EXPECT_THAT(call(anonymous, "without a token", "", ""),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << method << " without a token";
    grpc::ClientContext forged;
    PrepareContext(forged, "vkt_not-a-real-token", absl::Now() + absl::Seconds(10));
    EXPECT_THAT(call(forged, "with an unknown token", "", ""),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << method << " with an unknown token";
  }
  return denied;
}

}  // namespace velknee::test
