#include "clients/cli/plan_commands.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/command_line.h"
#include "tests/clients/loopback_server.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

ABSL_DECLARE_FLAG(bool, submit);

namespace velknee::cli {
namespace {

using plans::v1::TreatmentPlan;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

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
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "plan");
    std::istringstream in;
    return RunTabletLine(args, out_, err_, in);
  }

  absl::FlagSaver flag_saver_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(PlanUsageTest, DiscontinueNeedsAReason) {
  EXPECT_EQ(Run({"discontinue", "clients/c1/plans/p1"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: plan discontinue needs --reason=TEXT: why the plan stops\n");
  EXPECT_THAT(out_.str(), IsEmpty());
}

TEST_F(PlanUsageTest, ListNeedsAClientAndAKnownState) {
  EXPECT_EQ(Run({"list"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: plan list needs --client=clients/ID\n");
  EXPECT_EQ(Run({"list", "--client=clients/c1", "--state=paused"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--state: \"paused\" is not one of draft, active"));
}

TEST_F(PlanUsageTest, FlagsOfOtherCommandsAreRefused) {
  EXPECT_EQ(Run({"activate", "clients/c1/plans/p1", "--submit", "--reason=done"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --submit, --reason does not apply to plan activate\n");
  EXPECT_EQ(Run({"show", "clients/c1/plans/p1", "--plan=clients/c1/plans/p1"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --plan does not apply to plan show\n");
}

TEST_F(PlanUsageTest, UnknownTimeZoneIsAUsageError) {
  EXPECT_EQ(Run({"show", "clients/c1/plans/p1", "--time_zone=Mars/Olympus_Mons"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("error: --time_zone: unknown time zone \"Mars/Olympus_Mons\""));
  EXPECT_EQ(err_.str().find('\n'), err_.str().size() - 1) << "one line";
  EXPECT_THAT(out_.str(), IsEmpty());
}

TEST_F(PlanUsageTest, NewNeedsAnAssessment) {
  EXPECT_EQ(Run({"new"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("plan new needs --assessment=clients/ID/assessments/ID"));
}

// Answers GetPlan with a plan created at noon UTC on 1 July 2026 (13:00 in
// London, on summer time) and activated a day later.
class FakePlans final : public plans::v1::TreatmentPlanService::Service {
 public:
  grpc::Status GetPlan(grpc::ServerContext*, const plans::v1::GetPlanRequest* request,
                       TreatmentPlan* response) override {
    const absl::Time created =
        absl::FromCivil(absl::CivilSecond(2026, 7, 1, 12, 0, 0), absl::UTCTimeZone());
    response->set_name(request->name());
    response->set_state(TreatmentPlan::STATE_ACTIVE);
    response->mutable_create_time()->set_seconds(absl::ToUnixSeconds(created));
    response->mutable_activate_time()->set_seconds(absl::ToUnixSeconds(created + absl::Hours(24)));
    return grpc::Status::OK;
  }
};

class PlanCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<LoopbackServer>(service_, "vkt_test_token");
    ASSERT_TRUE(server_->started());
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "plan");
    std::istringstream in;
    return RunTabletLine(args, out_, err_, in);
  }

  absl::FlagSaver flag_saver_;
  FakePlans service_;
  std::unique_ptr<LoopbackServer> server_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(PlanCommandsTest, ShowPrintsTimesInTheTimeZoneGiven) {
  ASSERT_EQ(Run({"show", "clients/c1/plans/p1", "--time_zone=Europe/London"}), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), ContainsRegex("Created: +2026-07-01 13:00 BST\n"));
  EXPECT_THAT(out_.str(), ContainsRegex("Activated: +2026-07-02 13:00 BST\n"));

  ASSERT_EQ(Run({"show", "clients/c1/plans/p1", "--time_zone=UTC"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), ContainsRegex("Created: +2026-07-01 12:00 UTC\n"));
  EXPECT_THAT(out_.str(), ContainsRegex("Activated: +2026-07-02 12:00 UTC\n"));
}

}  // namespace
}  // namespace velknee::cli
