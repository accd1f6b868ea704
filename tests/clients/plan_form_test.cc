#include "clients/cli/plan_form.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/prompter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/anticoagulant_screening.h"
#include "tests/support/status_matchers.h"

namespace velknee::cli {
namespace {

using common::v1::Screening;
using plans::v1::TreatmentPlan;
using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  return text;
}

// clang-format off
// The gardener's plan, one answer per line in the order the form asks.
std::vector<std::string> GardenerPlanAnswers() {
  return {
      "Kneel in the garden for an hour", "2", "2024-09-30",  // goal, target pain, date
      "Climb stairs without knee pain", "", "",              // goal, not measured by pain
      "",                                                    // no more goals
      "2", "5", "both", "2", "20",     // trigger point, quadriceps, both, moderate, 20 min
      "3", "9", "both", "1", "15",     // myofascial release, IT band, both, light, 15 min
      "1", "8", "both", "3", "15",     // deep tissue, hip flexors, both, firm, 15 min
      "",                              // no more techniques
      "7", "6", "60",                  // weekly, 6 sessions, 60 minutes
      "y", "Quadriceps stretch", "Standing, heel to buttock", "3", "1", "30", "7",
      "y", "Kneeling hip-flexor stretch", "", "2", "0", "45", "14",
      "n",
  };
}
// clang-format on

class PlanFormTest : public ::testing::Test {
 protected:
  absl::StatusOr<TreatmentPlan> Take(const std::string& answers, const Screening& screening) {
    in_.str(answers);
    Prompter prompter(in_, out_);
    return TakePlanForm(prompter, screening);
  }

  std::istringstream in_;
  std::ostringstream out_;
};

TEST_F(PlanFormTest, GardenerAnswersMakeThePlan) {
  Screening clear;
  clear.set_disposition(common::v1::DISPOSITION_CLEAR);
  absl::StatusOr<TreatmentPlan> plan = Take(Lines(GardenerPlanAnswers()), clear);
  ASSERT_THAT(plan, IsOk()) << out_.str();

  ASSERT_THAT(plan->goals(), SizeIs(2));
  EXPECT_EQ(plan->goals(0).description(), "Kneel in the garden for an hour");
  EXPECT_EQ(plan->goals(0).target_pain(), 2);
  EXPECT_EQ(plan->goals(0).target_date().year(), 2024);
  EXPECT_EQ(plan->goals(0).target_date().month(), 9);
  EXPECT_FALSE(plan->goals(1).has_target_pain());
  EXPECT_FALSE(plan->goals(1).has_target_date());

  ASSERT_THAT(plan->techniques(), SizeIs(3));
  EXPECT_EQ(plan->techniques(0).technique(), common::v1::TECHNIQUE_TRIGGER_POINT);
  ASSERT_THAT(plan->techniques(0).regions(), SizeIs(1));
  EXPECT_EQ(plan->techniques(0).regions(0).region(), common::v1::BODY_REGION_QUADRICEPS);
  EXPECT_EQ(plan->techniques(0).regions(0).side(), common::v1::SIDE_BILATERAL);
  EXPECT_EQ(plan->techniques(0).pressure(), common::v1::PRESSURE_MODERATE);
  EXPECT_EQ(plan->techniques(0).minutes(), 20);
  EXPECT_EQ(plan->techniques(1).technique(), common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  EXPECT_EQ(plan->techniques(1).regions(0).region(), common::v1::BODY_REGION_IT_BAND);
  EXPECT_EQ(plan->techniques(2).technique(), common::v1::TECHNIQUE_DEEP_TISSUE);
  EXPECT_EQ(plan->techniques(2).regions(0).region(), common::v1::BODY_REGION_HIP_FLEXORS);
  EXPECT_EQ(plan->techniques(2).pressure(), common::v1::PRESSURE_FIRM);

  EXPECT_EQ(plan->cadence().interval_days(), 7);
  EXPECT_EQ(plan->cadence().planned_sessions(), 6);
  EXPECT_EQ(plan->cadence().session_minutes(), 60);

  ASSERT_THAT(plan->home_care(), SizeIs(2));
  EXPECT_EQ(plan->home_care(0).name(), "Quadriceps stretch");
  EXPECT_EQ(plan->home_care(0).instructions(), "Standing, heel to buttock");
  EXPECT_EQ(plan->home_care(0).sets(), 3);
  EXPECT_EQ(plan->home_care(0).hold_seconds(), 30);
  EXPECT_EQ(plan->home_care(0).times_per_week(), 7);
  EXPECT_EQ(plan->home_care(1).name(), "Kneeling hip-flexor stretch");
  EXPECT_EQ(plan->home_care(1).reps(), 0);
  EXPECT_EQ(plan->home_care(1).times_per_week(), 14);
  EXPECT_TRUE(plan->assessment().empty());
}

TEST_F(PlanFormTest, BlockedTechniqueIsShownWithItsRestrictionAndNotAdded) {
  // clang-format off
  const std::string answers = Lines({
      "Sit through a working day without knee pain", "3", "", "",
      "1", "6", "both", "4",           // deep tissue, hamstrings, both, deep: blocked twice
      "3", "6", "both", "1", "20",     // myofascial release, hamstrings, light
      "2", "7", "both", "2", "15",     // trigger point, calves, moderate
      "",
      "14", "4", "45",
      "n",
  });
  // clang-format on
  absl::StatusOr<TreatmentPlan> plan = Take(answers, AnticoagulantScreening());
  ASSERT_THAT(plan, IsOk()) << out_.str();

  EXPECT_THAT(out_.str(),
              HasSubstr("  Not added: deep tissue on hamstrings (back of the thigh), both sides, "
                        "deep pressure is blocked by:\n"
                        "    No deep tissue anywhere: client takes blood thinners (bruising "
                        "risk)\n"
                        "    Pressure at most moderate: client takes blood thinners (bruising "
                        "risk)\n"));
  ASSERT_THAT(plan->techniques(), SizeIs(2));
  EXPECT_EQ(plan->techniques(0).technique(), common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  EXPECT_EQ(plan->techniques(1).technique(), common::v1::TECHNIQUE_TRIGGER_POINT);
  EXPECT_EQ(plan->cadence().interval_days(), 14);
  EXPECT_EQ(plan->cadence().planned_sessions(), 4);
}

TEST_F(PlanFormTest, SessionMustHoldTheTechniquesMinutes) {
  // clang-format off
  const std::string answers = Lines({
      "Walk the dog without pain", "", "", "",
      "2", "5", "l", "2", "30",
      "3", "9", "l", "1", "25",
      "",
      "7", "6", "45", "55",            // 45 is shorter than the 55 minutes of work
      "n",
  });
  // clang-format on
  Screening clear;
  absl::StatusOr<TreatmentPlan> plan = Take(answers, clear);
  ASSERT_THAT(plan, IsOk()) << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Minutes per session, 55-180:"));
  EXPECT_THAT(out_.str(), HasSubstr("answer with a whole number from 55 to 180"));
  EXPECT_EQ(plan->cadence().session_minutes(), 55);
}

TEST_F(PlanFormTest, AnswersEndingEarlyStopTheForm) {
  const std::vector<std::string> all = GardenerPlanAnswers();
  const std::vector<std::string> half(all.begin(), all.begin() + 12);
  EXPECT_THAT(Take(Lines(half), Screening()),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("before the form was complete")));
}

TEST_F(PlanFormTest, FirstGoalAndTechniqueAreRequired) {
  // clang-format off
  const std::string answers = Lines({
      "", "Kneel again", "", "", "",   // an empty first goal is asked again
      "", "2", "5", "b", "2", "20",    // so is an empty first technique
      "",
      "7", "6", "30",
      "n",
  });
  // clang-format on
  absl::StatusOr<TreatmentPlan> plan = Take(answers, Screening());
  ASSERT_THAT(plan, IsOk()) << out_.str();
  EXPECT_THAT(plan->goals(), SizeIs(1));
  EXPECT_THAT(plan->techniques(), SizeIs(1));
  EXPECT_THAT(plan->home_care(), IsEmpty());
}

TEST(RestrictionsBlockingTest, NamesEveryRestrictionATechniqueBreaks) {
  plans::v1::PlannedTechnique technique;
  technique.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  common::v1::Region* calf = technique.add_regions();
  calf->set_region(common::v1::BODY_REGION_CALF);
  calf->set_side(common::v1::SIDE_LEFT);
  technique.set_pressure(common::v1::PRESSURE_FIRM);
  EXPECT_THAT(RestrictionsBlocking(technique, AnticoagulantScreening()),
              ::testing::ElementsAre(
                  "Pressure at most moderate: client takes blood thinners (bruising risk)"));
  technique.set_pressure(common::v1::PRESSURE_MODERATE);
  EXPECT_THAT(RestrictionsBlocking(technique, AnticoagulantScreening()), IsEmpty());
  EXPECT_EQ(PlannedTechniqueInPlainWords(technique),
            "trigger point therapy on calf, left, moderate pressure");
  EXPECT_THAT(PlannedTechniqueInPlainWords(technique), Not(HasSubstr("TECHNIQUE_")));
}

}  // namespace
}  // namespace velknee::cli
