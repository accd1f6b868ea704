#include "common/validation/field_rules.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.pb.h"
#include "velknee/notes/v1/session_note.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"
#include "velknee/plans/v1/treatment_plan_service.pb.h"
#include "velknee/scheduling/v1/scheduling_service.pb.h"

namespace velknee {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::velknee::test::DetailOf;
using ::velknee::test::IsOk;
using ::velknee::test::StatusIs;

// "field: rule" of every violation CheckFieldRules finds in `message` under `path`.
std::vector<std::string> Violations(const google::protobuf::Message& message,
                                    const std::string& path) {
  FieldViolations violations;
  CheckFieldRules(message, path, violations);
  std::vector<std::string> lines;
  if (const auto bad = DetailOf<google::rpc::BadRequest>(violations.ToStatus())) {
    for (const auto& violation : bad->field_violations()) {
      lines.push_back(violation.field() + ": " + violation.description());
    }
  }
  return lines;
}

common::v1::HomeExercise Stretch() {
  common::v1::HomeExercise exercise;
  exercise.set_name("Standing quadriceps stretch");
  exercise.set_sets(3);
  exercise.set_reps(0);
  exercise.set_hold_seconds(30);
  exercise.set_times_per_week(7);
  return exercise;
}

TEST(FieldRulesTest, AValidMessageHasNoViolations) {
  EXPECT_THAT(Violations(Stretch(), "exercise"), IsEmpty());
}

TEST(FieldRulesTest, NumbersMustLieInTheirDeclaredRangeBothEndsIncluded) {
  common::v1::HomeExercise exercise = Stretch();
  exercise.set_sets(20);
  exercise.set_times_per_week(1);
  EXPECT_THAT(Violations(exercise, "exercise"), IsEmpty());
  // The drift issue 11 names: 0 sets and 0 times a week were accepted.
  exercise.set_sets(0);
  exercise.set_times_per_week(0);
  exercise.set_hold_seconds(601);
  EXPECT_THAT(Violations(exercise, "exercise"),
              ElementsAre("exercise.sets: must be between 1 and 20",
                          "exercise.hold_seconds: must be between 0 and 600",
                          "exercise.times_per_week: must be between 1 and 21"));
}

TEST(FieldRulesTest, AnOptionalNumberIsCheckedOnlyWhenSet) {
  plans::v1::Goal goal;
  goal.set_description("Kneel for an hour");
  EXPECT_THAT(Violations(goal, "goal"), IsEmpty());
  goal.set_target_pain(0);
  EXPECT_THAT(Violations(goal, "goal"), IsEmpty());
  goal.set_target_pain(11);
  EXPECT_THAT(Violations(goal, "goal"), ElementsAre("goal.target_pain: must be between 0 and 10"));
}

TEST(FieldRulesTest, TextIsCountedInCharactersOrBytesAsDeclared) {
  plans::v1::Goal goal;
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "\xc3\xa9";  // 500 characters, 1000 bytes.
  goal.set_description(accents);
  EXPECT_THAT(Violations(goal, "goal"), IsEmpty());
  goal.set_description(accents + "e");
  EXPECT_THAT(Violations(goal, "goal"),
              ElementsAre("goal.description: must be at most 500 characters"));

  common::v1::HomeExercise exercise = Stretch();
  exercise.set_instructions(std::string(4096, 'i'));
  EXPECT_THAT(Violations(exercise, "exercise"), IsEmpty());
  exercise.set_instructions(std::string(4097, 'i'));
  EXPECT_THAT(Violations(exercise, "exercise"),
              ElementsAre("exercise.instructions: must be at most 4096 bytes"));
}

TEST(FieldRulesTest, OneLineTextRefusesLineBreaksAndMultiLineTextRefusesOtherControls) {
  common::v1::HomeExercise exercise = Stretch();
  exercise.set_name("Quadriceps\nstretch");
  exercise.set_instructions("Stand tall.\n\tHold the ankle.");
  EXPECT_THAT(Violations(exercise, "exercise"),
              ElementsAre("exercise.name: must be one line of UTF-8 text"));
  exercise.set_name("Quadriceps stretch");
  exercise.set_instructions(std::string("Stand\0tall", 10));
  EXPECT_THAT(Violations(exercise, "exercise"),
              ElementsAre("exercise.instructions: must be UTF-8 text without control characters"));
}

TEST(FieldRulesTest, RequiredTextMustHoldMoreThanWhitespace) {
  common::v1::HomeExercise exercise = Stretch();
  exercise.set_name("   ");
  EXPECT_THAT(Violations(exercise, "exercise"), ElementsAre("exercise.name: is required"));
}

TEST(FieldRulesTest, RequiredEnumsAndMessagesMustBeSet) {
  plans::v1::PlannedTechnique technique;
  technique.set_minutes(30);
  technique.add_regions()->set_region(common::v1::BODY_REGION_CALF);
  EXPECT_THAT(Violations(technique, "plan.techniques[0]"),
              ElementsAre("plan.techniques[0].technique: must be set to one of its values",
                          "plan.techniques[0].regions[0].side: must be set to one of its values",
                          "plan.techniques[0].pressure: must be set to one of its values"));

  notes::v1::SessionNote note;
  note.set_duration_minutes(60);
  EXPECT_THAT(Violations(note, "note"), ElementsAre("note.session_time: is required"));
}

TEST(FieldRulesTest, AnUnknownEnumNumberIsRefusedEvenWhereUnspecifiedIsAllowed) {
  intake::v1::Pain pain;
  pain.set_onset(static_cast<intake::v1::Pain::Onset>(7));
  EXPECT_THAT(Violations(pain, "pain"), ElementsAre("pain.onset: must be one of its values"));
}

TEST(FieldRulesTest, ListsKeepTheirSizeAndTheirItemsTheirRules) {
  plans::v1::PlannedTechnique technique;
  technique.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  technique.set_pressure(common::v1::PRESSURE_MODERATE);
  technique.set_minutes(30);
  EXPECT_THAT(Violations(technique, "t"), ElementsAre("t.regions: must hold at least 1 item"));

  intake::v1::Assessment assessment;
  assessment.add_medications("warfarin 5 mg daily");
  assessment.add_medications("");
  assessment.add_medications(std::string(201, 'm'));
  EXPECT_THAT(Violations(assessment, "assessment"),
              ElementsAre("assessment.medications[1]: is required",
                          "assessment.medications[2]: must be at most 200 characters"));
  // A list over its size is one violation; its items are not read.
  for (int i = 0; i < 48; ++i) assessment.add_medications("");
  EXPECT_THAT(Violations(assessment, "assessment"),
              ElementsAre("assessment.medications: must hold at most 50 items"));
}

TEST(FieldRulesTest, UniqueListsNameTheEarlierItemARepeatRepeats) {
  notes::v1::SessionNote::Assessment response;
  response.add_adverse_effects(notes::v1::ADVERSE_EFFECT_SORENESS);
  response.add_adverse_effects(notes::v1::ADVERSE_EFFECT_BRUISING);
  response.add_adverse_effects(notes::v1::ADVERSE_EFFECT_SORENESS);
  response.add_adverse_effects(notes::v1::ADVERSE_EFFECT_UNSPECIFIED);
  EXPECT_THAT(Violations(response, "a"),
              ElementsAre("a.adverse_effects[2]: repeats a.adverse_effects[0]",
                          "a.adverse_effects[3]: must be set to one of its values"));
}

TEST(FieldRulesTest, OutputOnlyFieldsAreNotChecked) {
  notes::v1::SessionNote note;
  note.set_duration_minutes(60);
  note.mutable_session_time()->set_seconds(1);
  note.add_addenda()->set_text(std::string(5000, 'a'));  // Output only: the server writes it.
  EXPECT_THAT(Violations(note, "note"), IsEmpty());
}

TEST(FieldRulesTest, FormatsAreCheckedOnlyOnNonEmptyText) {
  intake::v1::Client client;
  client.set_given_name("Greta");
  client.set_family_name("Gardner");
  client.set_phone("+44 (20) 7946-0958");
  EXPECT_THAT(Violations(client, "client"), IsEmpty());
  client.set_email("greta@");
  client.set_phone("call me");
  client.mutable_emergency_contact()->set_name("Hans");
  EXPECT_THAT(
      Violations(client, "client"),
      ElementsAre("client.phone: must be 7 to 15 digits, optionally starting with +, with spaces, "
                  "dashes, dots or parentheses as separators",
                  "client.email: must look like name@example.org",
                  "client.emergency_contact.phone: is required"));
}

TEST(FieldRulesTest, RequestFieldsAreCheckedWithoutTheMessagesTheyHold) {
  scheduling::v1::CreateTherapistRequest request;
  request.mutable_therapist();  // An empty therapist breaks its own rules, checked later.
  EXPECT_THAT(ValidateRequestFields(request), IsOk());
  request.set_therapist_id("Ana");
  request.set_request_id("retry 1");
  const absl::Status status = ValidateRequestFields(request);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(test::ViolatedFields(status), ElementsAre("therapist_id", "request_id"));

  plans::v1::DiscontinuePlanRequest discontinue;
  EXPECT_THAT(ValidateRequestFields(discontinue),
              StatusIs(absl::StatusCode::kInvalidArgument, "reason: is required"));
}

TEST(FieldRulesTest, CheckNumberRuleAppliesAFieldsRuleToAValueOutsideIt) {
  FieldViolations violations;
  const google::protobuf::FieldDescriptor& minutes =
      FieldOf(*plans::v1::Cadence::descriptor(), "session_minutes");
  CheckNumberRule(minutes, 15, "duration_minutes", violations);
  CheckNumberRule(minutes, 181, "duration_minutes", violations);
  EXPECT_THAT(violations.ToStatus(), StatusIs(absl::StatusCode::kInvalidArgument,
                                              "duration_minutes: must be between 15 and 180"));
}

TEST(FieldRulesTest, BadPathsLetRulesSpanningFieldsSkipRefusedValues) {
  const std::vector<std::string> bad = {"plan.techniques[1].minutes", "plan.cadence"};
  EXPECT_TRUE(AnyBadUnder(bad, "plan.techniques"));
  EXPECT_TRUE(AnyBadUnder(bad, "plan.cadence"));
  EXPECT_FALSE(AnyBadUnder(bad, "plan.cadence.session_minutes"));
  EXPECT_FALSE(AnyBadUnder(bad, "plan.tech"));
  EXPECT_FALSE(AnyBadUnder(bad, "plan.goals"));
}

}  // namespace
}  // namespace velknee
