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

TEST(ErrorLineTest, PreconditionDescriptionsInTheMessageAreNotRepeated) {
  const absl::Status failed = PreconditionFailed(
      "RESTRICTION_BREACHED", "the plan breaks the client's screening restrictions",
      {{"RESTRICTION", "techniques[0]",
        "techniques[0] (deep tissue on hamstrings (both sides) at deep pressure) breaks "
        "\"No deep tissue anywhere: client takes blood thinners (bruising risk)\" "
        "[CONDITION_ANTICOAGULANT_USE]"},
       {"STATE", "clients/abc", "the client is already archived"}});
  EXPECT_EQ(ErrorLine(ToGrpcStatus(failed)),
            "error: FAILED_PRECONDITION: the plan breaks the client's screening restrictions: "
            "techniques[0] (deep tissue on hamstrings (both sides) at deep pressure) breaks "
            "\"No deep tissue anywhere: client takes blood thinners (bruising risk)\" "
            "[CONDITION_ANTICOAGULANT_USE]; the client is already archived");
}

TEST(ErrorLineTest, PreconditionViolationsTheMessageLeftOutAreNamedWithTheirSubject) {
  google::rpc::PreconditionFailure failure;
  auto* v = failure.add_violations();
  v->set_type("STATE");
  v->set_subject("clients/abc");
  v->set_description("the client is already archived");
  google::rpc::Status details;
  details.set_code(9);
  details.set_message("cannot archive");
  details.add_details()->PackFrom(failure);
  grpc::Status status(grpc::StatusCode::FAILED_PRECONDITION, "cannot archive",
                      details.SerializeAsString());
  EXPECT_EQ(ErrorLine(status),
            "error: FAILED_PRECONDITION: cannot archive; clients/abc: the client is already "
            "archived");
}

TEST(ErrorLineTest, StaysOneLineWhateverTheServerSends) {
  grpc::Status status(grpc::StatusCode::NOT_FOUND, "clients/x\ndoes not exist");
  const std::string line = ErrorLine(status);
  EXPECT_EQ(line, "error: NOT_FOUND: clients/x does not exist");
  EXPECT_THAT(line, Not(HasSubstr("\n")));
}

TEST(ErrorLineTest, HintsWhereTheTokenComesFrom) {
  EXPECT_THAT(ErrorLine(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown token")),
              HasSubstr("VELKNEE_TOKEN"));
}

TEST(ErrorLineTest, LocalErrorsUseTheirMessage) {
  EXPECT_EQ(ErrorLine(absl::InvalidArgumentError("--birth_date: no such date")),
            "error: --birth_date: no such date");
}

}  // namespace
}  // namespace velknee::cli
