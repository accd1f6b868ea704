#include "clients/cli/plan_commands.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "clients/cli/command.h"
#include "clients/cli/error_line.h"
#include "common/screening/restriction_check.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/anticoagulant_screening.h"

ABSL_DECLARE_FLAG(velknee::cli::TextFlag, reason);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, state);
ABSL_DECLARE_FLAG(bool, submit);

namespace velknee::cli {
namespace {

using plans::v1::PlannedTechnique;
using plans::v1::TreatmentPlan;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

PlannedTechnique Technique(common::v1::Technique technique, common::v1::BodyRegion region,
                           common::v1::Pressure pressure) {
  PlannedTechnique planned;
  planned.set_technique(technique);
  common::v1::Region* where = planned.add_regions();
  where->set_region(region);
  where->set_side(common::v1::SIDE_BILATERAL);
  planned.set_pressure(pressure);
  planned.set_minutes(20);
  return planned;
}

// The office worker's first plan: deep tissue on the hamstrings.
TreatmentPlan OfficeWorkerPlan() {
  TreatmentPlan plan;
  *plan.add_techniques() = Technique(common::v1::TECHNIQUE_MYOFASCIAL_RELEASE,
                                     common::v1::BODY_REGION_CALF, common::v1::PRESSURE_LIGHT);
  *plan.add_techniques() = Technique(common::v1::TECHNIQUE_DEEP_TISSUE,
                                     common::v1::BODY_REGION_HAMSTRINGS, common::v1::PRESSURE_DEEP);
  return plan;
}

// The refusal exactly as the plans service builds it.
grpc::Status RefusalOf(const TreatmentPlan& plan) {
  std::vector<TechniqueUse> uses;
  for (const PlannedTechnique& t : plan.techniques()) {
    uses.push_back({t.technique(), &t.regions(), t.pressure()});
  }
  return ToGrpcStatus(PreconditionFailed(
      "RESTRICTION_BREACHED", "the plan breaks the client's screening restrictions",
      FindRestrictionBreaches(uses, AnticoagulantScreening(), "techniques")));
}

TEST(PlanFailureTextTest, EachBreachNamesTheTechniqueAndTheRestrictionThatBlocksIt) {
  const TreatmentPlan plan = OfficeWorkerPlan();
  EXPECT_EQ(PlanFailureText(RefusalOf(plan), plan),
            "error: FAILED_PRECONDITION: the plan breaks the client's screening restrictions\n"
            "  techniques[1] deep tissue on hamstrings (back of the thigh), both sides, deep "
            "pressure \xE2\x80\x94 blocked by: No deep tissue anywhere: client takes blood "
            "thinners (bruising risk)\n"
            "  techniques[1] deep tissue on hamstrings (back of the thigh), both sides, deep "
            "pressure \xE2\x80\x94 blocked by: Pressure at most moderate: client takes blood "
            "thinners (bruising risk)\n");
}

TEST(PlanFailureTextTest, UsesTheServersWordsForATechniqueNotInThePlanSent) {
  const grpc::Status refusal = RefusalOf(OfficeWorkerPlan());
  const std::string text = PlanFailureText(refusal, TreatmentPlan());
  EXPECT_THAT(text, HasSubstr("  techniques[1] deep tissue on hamstrings (bilateral) at deep "
                              "pressure \xE2\x80\x94 blocked by: No deep tissue anywhere"));
}

TEST(PlanFailureTextTest, OtherErrorsAreTheOneErrorLine) {
  const grpc::Status missing =
      ToGrpcStatus(PreconditionFailed("PLAN_INCOMPLETE", "clients/c1/plans/p1 cannot be active",
                                      {{"MISSING", "goals", "a plan needs at least one goal"}}));
  EXPECT_EQ(PlanFailureText(missing, TreatmentPlan()), ErrorLine(missing) + "\n");
  const grpc::Status denied(grpc::StatusCode::PERMISSION_DENIED, "front desk may not");
  EXPECT_EQ(PlanFailureText(denied, OfficeWorkerPlan()),
            "error: PERMISSION_DENIED: front desk may not\n");
}

TEST(ClientOfAssessmentTest, TakesTheClientFromTheAssessmentName) {
  EXPECT_EQ(ClientOfAssessment("clients/c1/assessments/a1"), "clients/c1");
  EXPECT_EQ(ClientOfAssessment("clients/c1"), "");
  EXPECT_EQ(ClientOfAssessment("clients//assessments/a1"), "");
  EXPECT_EQ(ClientOfAssessment("clients/c1/plans/p1"), "");
}

// Usage errors stop before any connection is made (no token is set up here).
class PlanUsageTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    CommandIo io{"velknee-tablet", out_, err_};
    std::istringstream in;
    return RunPlanCommand(args, io, in);
  }

  absl::FlagSaver flag_saver_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(PlanUsageTest, DiscontinueNeedsAReason) {
  EXPECT_EQ(Run({"discontinue", "clients/c1/plans/p1"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("error: plan discontinue needs --reason"));
  EXPECT_THAT(out_.str(), IsEmpty());
}

TEST_F(PlanUsageTest, ListNeedsAClientAndAKnownState) {
  EXPECT_EQ(Run({"list"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("plan list needs --client"));
  absl::SetFlag(&FLAGS_client, TextFlag{true, "clients/c1"});
  absl::SetFlag(&FLAGS_state, TextFlag{true, "paused"});
  EXPECT_EQ(Run({"list"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--state: \"paused\" is not one of draft, active"));
}

TEST_F(PlanUsageTest, FlagsOfOtherCommandsAreRefused) {
  absl::SetFlag(&FLAGS_submit, true);
  absl::SetFlag(&FLAGS_reason, TextFlag{true, "done"});
  EXPECT_EQ(Run({"activate", "clients/c1/plans/p1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--submit, --reason does not apply to plan activate"));
}

TEST_F(PlanUsageTest, NewNeedsAnAssessment) {
  EXPECT_EQ(Run({"new"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("plan new needs --assessment=clients/ID/assessments/ID"));
}

}  // namespace
}  // namespace velknee::cli
