#include "common/api/field_mask.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee {
namespace {

using google::protobuf::FieldMask;
using intake::v1::Assessment;
using intake::v1::Client;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::StatusIs;
using ::velknee::test::ViolatedFields;

FieldMask Mask(const std::vector<std::string>& paths) {
  FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  return mask;
}

TEST(ValidateUpdateMaskTest, WritableFieldsPass) {
  EXPECT_THAT(ValidateUpdateMask(Mask({"given_name", "family_name", "phone", "email", "birth_date",
                                       "front_desk_note", "emergency_contact"}),
                                 Client()),
              IsOk());
}

TEST(ValidateUpdateMaskTest, NestedWritableFieldPasses) {
  EXPECT_THAT(ValidateUpdateMask(Mask({"emergency_contact.phone"}), Client()), IsOk());
  EXPECT_THAT(
      ValidateUpdateMask(Mask({"emergency_contact.name", "emergency_contact.phone"}), Client()),
      IsOk());
}

TEST(ValidateUpdateMaskTest, EmptyMaskIsInvalid) {
  const absl::Status status = ValidateUpdateMask(FieldMask(), Client());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask"));
}

TEST(ValidateUpdateMaskTest, UnknownPathIsNamed) {
  const absl::Status status = ValidateUpdateMask(Mask({"phone", "nickname"}), Client());
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[1]")));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask.paths[1]"));
}

TEST(ValidateUpdateMaskTest, OutputOnlyAndImmutableFieldsAreEachNamed) {
  const absl::Status status = ValidateUpdateMask(
      Mask({"given_name", "state", "create_time", "name", "update_time", "etag"}), Client());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("update_mask.paths[1]", "update_mask.paths[2]", "update_mask.paths[3]",
                          "update_mask.paths[4]", "update_mask.paths[5]"));
  EXPECT_THAT(status.message(), HasSubstr("output only"));
  EXPECT_THAT(status.message(), HasSubstr("cannot be changed"));
}

TEST(ValidateUpdateMaskTest, OutputOnlyFieldInsideAMessageIsRefused) {
  EXPECT_THAT(ValidateUpdateMask(Mask({"consent.signer_name"}), Assessment()), IsOk());
  const absl::Status status = ValidateUpdateMask(Mask({"consent.sign_time"}), Assessment());
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask.paths[0]"));
}

TEST(ValidateUpdateMaskTest, BadNestedPathsAreRefused) {
  // An unknown sub-field and a path into a scalar.
  const absl::Status client_status =
      ValidateUpdateMask(Mask({"emergency_contact.fax", "phone", "given_name.first"}), Client());
  EXPECT_THAT(client_status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(client_status),
              ElementsAre("update_mask.paths[0]", "update_mask.paths[2]"));

  // A path through a repeated field; the repeated field as a whole is fine.
  const absl::Status assessment_status =
      ValidateUpdateMask(Mask({"pain.regions.side", "pain.regions"}), Assessment());
  EXPECT_THAT(assessment_status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("regions")));
  EXPECT_THAT(ViolatedFields(assessment_status), ElementsAre("update_mask.paths[0]"));
}

class ApplyUpdateMaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stored_.set_name("clients/h6j2k4m5n7p2q3r4s5t6u7v2");
    stored_.set_given_name("Mirela");
    stored_.set_family_name("Dobos");
    stored_.set_phone("+15550111");
    stored_.set_front_desk_note("prefers mornings");
    stored_.mutable_emergency_contact()->set_name("Zsolt Dobos");
    stored_.mutable_emergency_contact()->set_phone("+15550112");
  }
  Client stored_;
};

TEST_F(ApplyUpdateMaskTest, CopiesOnlyNamedFields) {
  Client patch;
  patch.set_given_name("Mira");
  patch.set_family_name("ignored because not in the mask");
  ApplyUpdateMask(Mask({"given_name"}), patch, &stored_);
  EXPECT_EQ(stored_.given_name(), "Mira");
  EXPECT_EQ(stored_.family_name(), "Dobos");
  EXPECT_EQ(stored_.phone(), "+15550111");
  EXPECT_EQ(stored_.name(), "clients/h6j2k4m5n7p2q3r4s5t6u7v2");
}

TEST_F(ApplyUpdateMaskTest, NamedFieldUnsetInPatchIsCleared) {
  ApplyUpdateMask(Mask({"front_desk_note"}), Client(), &stored_);
  EXPECT_EQ(stored_.front_desk_note(), "");
  EXPECT_EQ(stored_.given_name(), "Mirela");
}

TEST_F(ApplyUpdateMaskTest, MessageFieldIsReplacedNotMerged) {
  Client patch;
  patch.mutable_emergency_contact()->set_name("Anna Dobos");
  ApplyUpdateMask(Mask({"emergency_contact"}), patch, &stored_);
  EXPECT_EQ(stored_.emergency_contact().name(), "Anna Dobos");
  EXPECT_EQ(stored_.emergency_contact().phone(), "");
}

TEST_F(ApplyUpdateMaskTest, NestedPathChangesOnlyThatSubfield) {
  Client patch;
  patch.mutable_emergency_contact()->set_phone("+15550199");
  ApplyUpdateMask(Mask({"emergency_contact.phone"}), patch, &stored_);
  EXPECT_EQ(stored_.emergency_contact().phone(), "+15550199");
  EXPECT_EQ(stored_.emergency_contact().name(), "Zsolt Dobos");
}

TEST(ApplyUpdateMaskRepeatedTest, RepeatedFieldIsReplacedNotAppended) {
  Assessment stored;
  stored.add_medications("ibuprofen");
  stored.add_medications("vitamin d");
  Assessment patch;
  patch.add_medications("paracetamol");
  ApplyUpdateMask(Mask({"medications"}), patch, &stored);
  EXPECT_THAT(stored.medications(), ElementsAre("paracetamol"));
}

TEST(ApplyUpdateMaskNestedTest, ReplacedMessageKeepsItsOutputOnlyFields) {
  intake::v1::Assessment stored;
  stored.mutable_consent()->set_signer_name("Greta Gardner");
  stored.mutable_consent()->mutable_sign_time()->set_seconds(1'700'000'000);
  intake::v1::Assessment patch;
  patch.mutable_consent()->set_informed_consent(true);
  patch.mutable_consent()->set_signer_name("Greta M. Gardner");
  patch.mutable_consent()->mutable_sign_time()->set_seconds(42);  // Forged by the caller.
  patch.set_state(intake::v1::Assessment::STATE_SUBMITTED);
  google::protobuf::FieldMask mask;
  mask.add_paths("consent");
  ApplyUpdateMask(mask, patch, &stored);
  EXPECT_TRUE(stored.consent().informed_consent());
  EXPECT_EQ(stored.consent().signer_name(), "Greta M. Gardner");
  EXPECT_EQ(stored.consent().sign_time().seconds(), 1'700'000'000);
  EXPECT_EQ(stored.state(), intake::v1::Assessment::STATE_UNSPECIFIED);
}

}  // namespace
}  // namespace velknee
