#include "grpcpp/support/status.h"

#include <string>
#include <vector>

#include "common/status/details.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/common/v1/error_details.pb.h"

namespace velknee {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::velknee::test::DetailOf;
using ::velknee::test::IsOk;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;
using ::velknee::test::ViolatedFields;

// The ErrorInfo details of a wire status.
std::vector<google::rpc::ErrorInfo> ErrorInfos(const grpc::Status& status) {
  std::vector<google::rpc::ErrorInfo> infos;
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) infos.push_back(info);
  }
  return infos;
}

TEST(FieldViolationsTest, NothingAddedIsOk) { EXPECT_THAT(FieldViolations().ToStatus(), IsOk()); }

TEST(FieldViolationsTest, ListsEveryFieldInMessageAndBadRequest) {
  FieldViolations violations;
  violations.Add("client.phone", "must be 7 to 15 digits");
  violations.Add("client.given_name", "is required");
  const absl::Status status = violations.ToStatus();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               "client.phone: must be 7 to 15 digits; "
                               "client.given_name: is required"));
  const auto bad_request = DetailOf<google::rpc::BadRequest>(status);
  ASSERT_TRUE(bad_request.has_value());
  ASSERT_EQ(bad_request->field_violations_size(), 2);
  EXPECT_EQ(bad_request->field_violations(0).field(), "client.phone");
  EXPECT_EQ(bad_request->field_violations(0).description(), "must be 7 to 15 digits");
  EXPECT_EQ(bad_request->field_violations(1).field(), "client.given_name");
  EXPECT_EQ(bad_request->field_violations(1).description(), "is required");
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD");
  EXPECT_EQ(DetailOf<google::rpc::ErrorInfo>(status)->domain(), "velknee");
}

TEST(InvalidFieldTest, NamesOneField) {
  const absl::Status status = InvalidField("page_size", "must not be negative");
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, "page_size: must not be negative"));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_size"));
}

TEST(PreconditionFailedTest, ListsEveryViolation) {
  const absl::Status status = PreconditionFailed(
      "ASSESSMENT_INCOMPLETE", "the assessment cannot be submitted",
      {{"MISSING", "assessment.chief_complaint", "a chief complaint is required"},
       {"MISSING", "assessment.consent", "consent is required"}});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               "the assessment cannot be submitted: a chief complaint is "
                               "required; consent is required"));
  EXPECT_EQ(ReasonOf(status), "ASSESSMENT_INCOMPLETE");
  const auto failure = DetailOf<google::rpc::PreconditionFailure>(status);
  ASSERT_TRUE(failure.has_value());
  ASSERT_EQ(failure->violations_size(), 2);
  EXPECT_EQ(failure->violations(0).type(), "MISSING");
  EXPECT_EQ(failure->violations(0).subject(), "assessment.chief_complaint");
  EXPECT_EQ(failure->violations(0).description(), "a chief complaint is required");
  EXPECT_EQ(failure->violations(1).subject(), "assessment.consent");
}

TEST(WithReasonTest, ReplacesAnEarlierReason) {
  const absl::Status status =
      WithReason(WithReason(absl::AbortedError("stale"), "FIRST"), "ETAG_MISMATCH");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted, "stale"));
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
}

TEST(ResourceNotFoundTest, NamesTheResource) {
  const absl::Status status = ResourceNotFound("clients/z2y3x4");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/z2y3x4")));
  EXPECT_EQ(ReasonOf(status), "RESOURCE_NOT_FOUND");
}

TEST(ToGrpcStatusTest, OkStaysOk) {
  const grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_TRUE(status.error_details().empty());
}

TEST(ToGrpcStatusTest, EveryCodeKeepsItsNumberAndCarriesAVelkneeErrorInfo) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code), "something happened");
    const grpc::Status wire = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(wire.error_code()), code);
    EXPECT_EQ(wire.error_message(), "something happened");
    EXPECT_EQ(RpcStatusDetails(wire).code(), code);
    EXPECT_EQ(RpcStatusDetails(wire).message(), "something happened");
    const std::vector<google::rpc::ErrorInfo> infos = ErrorInfos(wire);
    ASSERT_EQ(infos.size(), 1u) << "code " << code;
    EXPECT_EQ(infos[0].domain(), "velknee");
    EXPECT_FALSE(infos[0].reason().empty());
  }
}

TEST(ToGrpcStatusTest, KeepsTheGivenReasonAndAddsNoSecondErrorInfo) {
  const grpc::Status wire = ToGrpcStatus(InvalidField("client.email", "must contain '@'"));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<google::rpc::ErrorInfo> infos = ErrorInfos(wire);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason(), "INVALID_FIELD");
  EXPECT_EQ(infos[0].domain(), "velknee");
  bool has_bad_request = false;
  const google::rpc::Status details = RpcStatusDetails(wire);
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      has_bad_request = true;
      ASSERT_EQ(bad_request.field_violations_size(), 1);
      EXPECT_EQ(bad_request.field_violations(0).field(), "client.email");
    }
  }
  EXPECT_TRUE(has_bad_request);
}

TEST(FromGrpcStatusTest, RoundTripsCodeMessageAndDetails) {
  FieldViolations violations;
  violations.Add("client.phone", "must be 7 to 15 digits");
  violations.Add("client.email", "must contain '@'");
  const absl::Status original = violations.ToStatus();

  const absl::Status received = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_THAT(received, StatusIs(original.code(), std::string(original.message())));
  EXPECT_THAT(ViolatedFields(received), ElementsAre("client.phone", "client.email"));
  EXPECT_EQ(ReasonOf(received), "INVALID_FIELD");

  const absl::Status precondition = FromGrpcStatus(ToGrpcStatus(PreconditionFailed(
      "SLOT_CONFLICT", "the slot is taken", {{"CONFLICT", "appointments/a1", "overlaps"}})));
  EXPECT_THAT(precondition, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(precondition), "SLOT_CONFLICT");
  const auto failure = DetailOf<google::rpc::PreconditionFailure>(precondition);
  ASSERT_TRUE(failure.has_value());
  ASSERT_EQ(failure->violations_size(), 1);
  EXPECT_EQ(failure->violations(0).subject(), "appointments/a1");
}

// Two details of one velknee type: the restriction breaches of one refused plan.
std::vector<common::v1::RestrictionBreach> TwoBreaches() {
  std::vector<common::v1::RestrictionBreach> breaches(2);
  breaches[0].set_field("techniques[0]");
  breaches[0].mutable_restriction()->set_condition(common::v1::CONDITION_ANTICOAGULANT_USE);
  breaches[1].set_field("techniques[2]");
  breaches[1].set_technique_index(2);
  breaches[1].mutable_restriction()->set_condition(common::v1::CONDITION_VARICOSE_VEINS);
  return breaches;
}

std::vector<std::string> Fields(const std::vector<common::v1::RestrictionBreach>& breaches) {
  std::vector<std::string> fields;
  for (const auto& breach : breaches) fields.push_back(breach.field());
  return fields;
}

TEST(AddDetailTest, AnyMessageTypeRidesToTheWireTrailerInOrderAndBack) {
  absl::Status status = PreconditionFailed(
      "RESTRICTION_BREACHED", "the plan breaks rules",
      {{"RESTRICTION", "techniques[0]", "one"}, {"RESTRICTION", "techniques[2]", "two"}});
  for (const auto& breach : TwoBreaches()) AddDetail(status, breach);
  EXPECT_THAT(Fields(DetailsOf<common::v1::RestrictionBreach>(status)),
              ElementsAre("techniques[0]", "techniques[2]"));

  const grpc::Status wire = ToGrpcStatus(status);
  const std::vector<common::v1::RestrictionBreach> sent =
      DetailsOf<common::v1::RestrictionBreach>(wire);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].SerializeAsString(), TwoBreaches()[0].SerializeAsString());
  EXPECT_EQ(sent[1].SerializeAsString(), TwoBreaches()[1].SerializeAsString());
  // The generic details stay beside them.
  EXPECT_EQ(ErrorInfos(wire).size(), 1u);
  EXPECT_EQ(DetailsOf<google::rpc::PreconditionFailure>(wire).size(), 1u);

  // Received from a peer and passed on, nothing is lost.
  const absl::Status relayed = FromGrpcStatus(wire);
  EXPECT_THAT(Fields(DetailsOf<common::v1::RestrictionBreach>(relayed)),
              ElementsAre("techniques[0]", "techniques[2]"));
  EXPECT_EQ(ToGrpcStatus(relayed).error_details(), wire.error_details());
}

TEST(AddDetailTest, AnOkStatusCarriesNoDetails) {
  absl::Status ok;
  AddDetail(ok, TwoBreaches()[0]);
  EXPECT_THAT(ok, IsOk());
  EXPECT_TRUE(Details(ok).empty());
}

TEST(ReplaceDetailTest, ReplacesOnlyDetailsOfItsOwnType) {
  absl::Status status = absl::FailedPreconditionError("refused");
  for (const auto& breach : TwoBreaches()) AddDetail(status, breach);
  status = WithReason(WithReason(status, "FIRST"), "RESTRICTION_BREACHED");
  EXPECT_EQ(DetailsOf<google::rpc::ErrorInfo>(status).size(), 1u);
  EXPECT_EQ(ReasonOf(status), "RESTRICTION_BREACHED");
  EXPECT_EQ(DetailsOf<common::v1::RestrictionBreach>(status).size(), 2u);
}

TEST(FromGrpcStatusTest, StatusWithoutDetailsKeepsCodeAndMessage) {
  EXPECT_THAT(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")),
              StatusIs(absl::StatusCode::kUnavailable, "connection refused"));
  EXPECT_THAT(FromGrpcStatus(grpc::Status::OK), IsOk());
}

}  // namespace
}  // namespace velknee
