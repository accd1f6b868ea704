#include "tests/support/status_matchers.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace velknee::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(IsOkTest, MatchesOnlyOkStatuses) {
  EXPECT_THAT(absl::OkStatus(), IsOk());
  EXPECT_THAT(absl::StatusOr<int>(7), IsOk());
  EXPECT_THAT(grpc::Status::OK, IsOk());
  EXPECT_THAT(absl::NotFoundError("clients/abc"), Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(absl::InternalError("boom")), Not(IsOk()));
  EXPECT_THAT(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"), Not(IsOk()));
}

TEST(StatusIsTest, ComparesCodeAndMessage) {
  const absl::Status status = absl::NotFoundError("clients/abc does not exist");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/abc")));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, "clients/abc does not exist"));
  EXPECT_THAT(status, Not(StatusIs(absl::StatusCode::kAborted)));
  EXPECT_THAT(status, Not(StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/xyz"))));
  EXPECT_THAT(absl::OkStatus(), StatusIs(absl::StatusCode::kOk));
}

TEST(StatusIsTest, WorksOnStatusOrAndGrpcStatus) {
  EXPECT_THAT(absl::StatusOr<std::string>(absl::AbortedError("stale")),
              StatusIs(absl::StatusCode::kAborted, "stale"));
  EXPECT_THAT(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "role front_desk"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("front_desk")));
  EXPECT_THAT(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "x"),
              Not(StatusIs(absl::StatusCode::kUnauthenticated)));
}

TEST(IsOkAndHoldsTest, MatchesValueOfOkStatusOr) {
  EXPECT_THAT(absl::StatusOr<int>(50), IsOkAndHolds(50));
  EXPECT_THAT(absl::StatusOr<int>(50), Not(IsOkAndHolds(500)));
  EXPECT_THAT(absl::StatusOr<std::string>("clients/abc"), IsOkAndHolds(HasSubstr("abc")));
  EXPECT_THAT(absl::StatusOr<int>(absl::InvalidArgumentError("page_size")),
              Not(IsOkAndHolds(::testing::_)));
}

TEST(StatusMacrosTest, ReportFailures) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(absl::InternalError("disk on fire")), "disk on fire");
  EXPECT_FATAL_FAILURE(ASSERT_OK(absl::InternalError("disk on fire")), "disk on fire");
  EXPECT_FATAL_FAILURE(
      {
        ASSERT_OK_AND_ASSIGN(int value, absl::StatusOr<int>(absl::NotFoundError("no value")));
        (void)value;
      },
      "no value");
}

TEST(StatusMacrosTest, AssignOnSuccess) {
  ASSERT_OK_AND_ASSIGN(std::string text, absl::StatusOr<std::string>("hello"));
  EXPECT_EQ(text, "hello");
  int number = 0;
  ASSERT_OK_AND_ASSIGN(number, absl::StatusOr<int>(42));
  EXPECT_EQ(number, 42);
}

}  // namespace
}  // namespace velknee::test
