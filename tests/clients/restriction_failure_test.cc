#include "clients/cli/restriction_failure.h"

#include <algorithm>
#include <string>

#include "clients/cli/error_line.h"
#include "common/screening/restriction_check.h"
#include "common/status/details.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/anticoagulant_screening.h"
#include "tests/support/proto_builders.h"
#include "velknee/common/v1/error_details.pb.h"
#include "velknee/notes/v1/session_note.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::cli {
namespace {

using ::testing::HasSubstr;

template <typename Work>
Work Bilateral(common::v1::Technique technique, common::v1::BodyRegion region,
               common::v1::Pressure pressure) {
  Work work;
  work.set_technique(technique);
  *work.add_regions() = test::Where(region, common::v1::SIDE_BILATERAL);
  work.set_pressure(pressure);
  return work;
}

// The office worker's plan: myofascial release on the calves, then deep tissue on the hamstrings.
plans::v1::TreatmentPlan OfficeWorkerPlan() {
  plans::v1::TreatmentPlan plan;
  *plan.add_techniques() = Bilateral<plans::v1::PlannedTechnique>(
      common::v1::TECHNIQUE_MYOFASCIAL_RELEASE, common::v1::BODY_REGION_CALF,
      common::v1::PRESSURE_LIGHT);
  *plan.add_techniques() = Bilateral<plans::v1::PlannedTechnique>(
      common::v1::TECHNIQUE_DEEP_TISSUE, common::v1::BODY_REGION_HAMSTRINGS,
      common::v1::PRESSURE_DEEP);
  return plan;
}

// The refusal exactly as the plans service builds it.
absl::Status PlanRefusal() {
  return CheckAgainstRestrictions(OfficeWorkerPlan().techniques(), AnticoagulantScreening(),
                                  "techniques",
                                  "the plan breaks the client's screening restrictions");
}

constexpr char kPlanBreaches[] =
    "  techniques[1] deep tissue on hamstrings (back of the thigh), both sides, deep pressure "
    "\xE2\x80\x94 blocked by: No deep tissue anywhere: client takes blood thinners (bruising "
    "risk)\n"
    "  techniques[1] deep tissue on hamstrings (back of the thigh), both sides, deep pressure "
    "\xE2\x80\x94 blocked by: Pressure at most moderate: client takes blood thinners (bruising "
    "risk)\n";

TEST(RestrictionFailureTextTest, EachBreachNamesTheTechniqueAndTheRestrictionThatBlocksIt) {
  EXPECT_EQ(RestrictionFailureText(ToGrpcStatus(PlanRefusal())),
            std::string("error: FAILED_PRECONDITION: the plan breaks the client's screening "
                        "restrictions\n") +
                kPlanBreaches);
}

TEST(RestrictionFailureTextTest, ANotesBreachesNameItsAppliedTechniques) {
  notes::v1::SessionNote note;
  *note.add_applied() = Bilateral<notes::v1::AppliedTechnique>(common::v1::TECHNIQUE_TRIGGER_POINT,
                                                               common::v1::BODY_REGION_QUADRICEPS,
                                                               common::v1::PRESSURE_FIRM);
  const grpc::Status refusal = ToGrpcStatus(
      CheckAgainstRestrictions(note.applied(), AnticoagulantScreening(), "applied",
                               "the session breaks the client's screening restrictions"));
  EXPECT_EQ(RestrictionFailureText(refusal),
            "error: FAILED_PRECONDITION: the session breaks the client's screening "
            "restrictions\n"
            "  applied[0] trigger point therapy on quadriceps (front of the thigh), both sides, "
            "firm pressure \xE2\x80\x94 blocked by: Pressure at most moderate: client takes "
            "blood thinners (bruising risk)\n");
}

// The first line is the summary from the ErrorInfo metadata: a server that words its message
// differently is shown the same.
TEST(RestrictionFailureTextTest, TheSummaryComesFromTheErrorInfoNotFromTheMessage) {
  const absl::Status refusal = PlanRefusal();
  absl::Status reworded = absl::FailedPreconditionError(
      "Refused. Breaches: techniques[1] (deep tissue) -- see details");
  SetDetails(reworded, Details(refusal));
  EXPECT_EQ(RestrictionFailureText(ToGrpcStatus(reworded)),
            std::string("error: FAILED_PRECONDITION: the plan breaks the client's screening "
                        "restrictions\n") +
                kPlanBreaches);
}

// The lines come from the RestrictionBreach details: a server that words its message and its
// PreconditionFailure differently and sends no summary is shown the same, with its message whole.
TEST(RestrictionFailureTextTest, ReadsTheBreachesFromTheDetailsNotFromTheMessage) {
  absl::Status reworded = absl::FailedPreconditionError(
      "Plan refused) breaks \"the rules\" [ANTICOAGULANT_USE] (wording changed)");
  for (const common::v1::RestrictionBreach& breach :
       DetailsOf<common::v1::RestrictionBreach>(PlanRefusal())) {
    AddDetail(reworded, breach);
  }
  EXPECT_EQ(RestrictionFailureText(ToGrpcStatus(reworded)),
            std::string("error: FAILED_PRECONDITION: Plan refused) breaks \"the rules\" "
                        "[ANTICOAGULANT_USE] (wording changed)\n") +
                kPlanBreaches);
}

TEST(RestrictionFailureTextTest, WithoutARationaleTheRestrictionIsSaidFromItsFields) {
  absl::Status refusal = absl::FailedPreconditionError("refused");
  common::v1::RestrictionBreach breach;
  breach.set_field("techniques[0]");
  breach.set_technique(common::v1::TECHNIQUE_DEEP_TISSUE);
  breach.set_pressure(common::v1::PRESSURE_FIRM);
  *breach.add_regions() = test::Where(common::v1::BODY_REGION_CALF, common::v1::SIDE_LEFT);
  breach.mutable_restriction()->set_condition(common::v1::CONDITION_ANTICOAGULANT_USE);
  breach.mutable_restriction()->set_technique(common::v1::TECHNIQUE_DEEP_TISSUE);
  AddDetail(refusal, breach);
  EXPECT_THAT(RestrictionFailureText(ToGrpcStatus(refusal)),
              HasSubstr("  techniques[0] deep tissue on calf, left, firm pressure \xE2\x80\x94 "
                        "blocked by: No deep tissue anywhere: "));
}

TEST(RestrictionFailureTextTest, EachBreachStaysOneLineWhateverTheServerSends) {
  absl::Status refusal = absl::FailedPreconditionError("refused");
  common::v1::RestrictionBreach breach;
  breach.set_field("techniques[0]\nerror: OK");
  breach.mutable_restriction()->set_rationale("No deep tissue\nanywhere");
  AddDetail(refusal, breach);
  const std::string text = RestrictionFailureText(ToGrpcStatus(refusal));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  EXPECT_THAT(text, HasSubstr("No deep tissue anywhere\n"));
}

TEST(RestrictionFailureTextTest, OtherErrorsAreTheOneErrorLine) {
  const grpc::Status missing =
      ToGrpcStatus(PreconditionFailed("PLAN_INCOMPLETE", "clients/c1/plans/p1 cannot be active",
                                      {{"MISSING", "goals", "a plan needs at least one goal"}}));
  EXPECT_EQ(RestrictionFailureText(missing), ErrorLine(missing) + "\n");
  const grpc::Status denied(grpc::StatusCode::PERMISSION_DENIED, "front desk may not");
  EXPECT_EQ(RestrictionFailureText(denied), "error: PERMISSION_DENIED: front desk may not\n");
}

}  // namespace
}  // namespace velknee::cli
