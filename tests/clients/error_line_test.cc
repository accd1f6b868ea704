#include "clients/cli/error_line.h"

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace velknee::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(ErrorLineTest, FieldViolationsAsTheServerSendsThem) {
  FieldViolations violations;
  violations.Add("client.phone", "must be 7 to 15 digits");
  violations.Add("client.email", "must look like name@example.org");
  const std::string line = ErrorLine(ToGrpcStatus(violations.ToStatus()));
  EXPECT_EQ(line,
            "error: INVALID_ARGUMENT: client.phone: must be 7 to 15 digits; "
            "client.email: must look like name@example.org");
}

TEST(ErrorLineTest, AddsViolationsTheMessageLeftOut) {
  google::rpc::BadRequest bad_request;
  auto* v = bad_request.add_field_violations();
  v->set_field("client.phone");
  v->set_description("must be 7 to 15 digits");
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("invalid client");
  details.add_details()->PackFrom(bad_request);
  grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "invalid client",
                      details.SerializeAsString());
  EXPECT_EQ(ErrorLine(status),
            "error: INVALID_ARGUMENT: invalid client; client.phone: must be 7 "
            "to 15 digits");
}

TEST(ErrorLineTest, PreconditionSubjectsAreNamed) {
  const absl::Status failed = PreconditionFailed(
      "CLIENT_ARCHIVED", "cannot archive",
      {{"STATE", "clients/abc", "the client is already archived"}});
  const std::string line = ErrorLine(ToGrpcStatus(failed));
  EXPECT_THAT(line, StartsWith("error: FAILED_PRECONDITION: cannot archive: "
                               "the client is already archived"));
  EXPECT_THAT(line, HasSubstr("clients/abc: the client is already archived"));
}

TEST(ErrorLineTest, StaysOneLineWhateverTheServerSends) {
  grpc::Status status(grpc::StatusCode::NOT_FOUND, "clients/x\ndoes not exist");
  const std::string line = ErrorLine(status);
  EXPECT_EQ(line, "error: NOT_FOUND: clients/x does not exist");
  EXPECT_THAT(line, Not(HasSubstr("\n")));
}

TEST(ErrorLineTest, HintsWhereTheTokenComesFrom) {
  EXPECT_THAT(ErrorLine(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                     "unknown token")),
              HasSubstr("VELKNEE_TOKEN"));
}

TEST(ErrorLineTest, LocalErrorsUseTheirMessage) {
  EXPECT_EQ(ErrorLine(absl::InvalidArgumentError("--birth_date: no such date")),
            "error: --birth_date: no such date");
}

}  // namespace
}  // namespace velknee::cli
