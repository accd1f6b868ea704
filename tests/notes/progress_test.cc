// ComputePlanProgress on its own: the arithmetic of GetPlanProgress over hand-made sessions.

#include "services/notes/progress.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace velknee::notes {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr absl::string_view kPlan = "clients/progresspatient0001/plans/progressplan00001";

plans::v1::TreatmentPlan Plan(int interval_days, int planned_sessions) {
  plans::v1::TreatmentPlan plan;
  plan.set_name(std::string(kPlan));
  plan.mutable_cadence()->set_interval_days(interval_days);
  plan.mutable_cadence()->set_planned_sessions(planned_sessions);
  plan.mutable_cadence()->set_session_minutes(60);
  return plan;
}

plans::v1::Goal Goal(const std::string& description, std::optional<int> target_pain) {
  plans::v1::Goal goal;
  goal.set_description(description);
  if (target_pain.has_value()) goal.set_target_pain(*target_pain);
  return goal;
}

absl::Time At(absl::CivilMinute minute, absl::TimeZone zone = absl::UTCTimeZone()) {
  return absl::FromCivil(minute, zone);
}

SignedSession Session(int index, absl::Time when, std::optional<int> before,
                      std::optional<int> after, int adverse_effects = 0) {
  SignedSession session;
  session.note = absl::StrCat("clients/progresspatient0001/notes/note", index);
  session.session_time = when;
  session.pain_before = before;
  session.pain_after = after;
  session.adverse_effects = adverse_effects;
  return session;
}

std::vector<int> GapDays(const v1::PlanProgress& progress) {
  std::vector<int> days;
  for (const v1::SessionGap& gap : progress.gaps()) days.push_back(gap.days());
  return days;
}

std::vector<bool> GapLate(const v1::PlanProgress& progress) {
  std::vector<bool> late;
  for (const v1::SessionGap& gap : progress.gaps()) late.push_back(gap.late());
  return late;
}

TEST(ComputePlanProgressTest, WithoutSignedSessionsNothingIsMeasuredAndNoGoalIsMet) {
  plans::v1::TreatmentPlan plan = Plan(7, 6);
  *plan.add_goals() = Goal("Kneel for an hour with pain at most 2", 2);
  *plan.add_goals() = Goal("Pain at most 10", 10);  // Even a goal any pain meets.

  const v1::PlanProgress progress = ComputePlanProgress(plan, {}, absl::UTCTimeZone());

  EXPECT_EQ(progress.plan(), kPlan);
  EXPECT_EQ(progress.planned_sessions(), 6);
  EXPECT_EQ(progress.planned_interval_days(), 7);
  EXPECT_EQ(progress.signed_sessions(), 0);
  EXPECT_THAT(progress.sessions(), IsEmpty());
  EXPECT_FALSE(progress.has_first_pain());
  EXPECT_FALSE(progress.has_latest_pain());
  EXPECT_FALSE(progress.has_pain_change());
  EXPECT_FALSE(progress.has_mean_relief());
  EXPECT_THAT(progress.gaps(), IsEmpty());
  EXPECT_EQ(progress.late_sessions(), 0);
  EXPECT_EQ(progress.adverse_effect_count(), 0);
  ASSERT_EQ(progress.goals_size(), 2);
  EXPECT_EQ(progress.goals(0).description(), "Kneel for an hour with pain at most 2");
  EXPECT_EQ(progress.goals(0).target_pain(), 2);
  EXPECT_FALSE(progress.goals(0).met());
  EXPECT_FALSE(progress.goals(1).met());
}

TEST(ComputePlanProgressTest, AGoalWithoutTargetPainIsNeverMet) {
  plans::v1::TreatmentPlan plan = Plan(7, 2);
  *plan.add_goals() = Goal("Climb the stairs without holding the rail", std::nullopt);
  *plan.add_goals() = Goal("Pain at most 3", 3);
  const std::vector<SignedSession> sessions = {
      Session(1, At(absl::CivilMinute(2024, 3, 5, 10, 0)), 1, 0),
      Session(2, At(absl::CivilMinute(2024, 3, 12, 10, 0)), 0, 0),
  };

  const v1::PlanProgress progress = ComputePlanProgress(plan, sessions, absl::UTCTimeZone());

  ASSERT_EQ(progress.goals_size(), 2);
  EXPECT_FALSE(progress.goals(0).has_target_pain());
  EXPECT_FALSE(progress.goals(0).met()) << "no target pain, even with pain 0";
  EXPECT_TRUE(progress.goals(1).met());
}

TEST(ComputePlanProgressTest, AGoalIsMetByTheLatestPainBeforeNotTheBestOne) {
  plans::v1::TreatmentPlan plan = Plan(7, 3);
  *plan.add_goals() = Goal("Pain at most 2", 2);
  const std::vector<SignedSession> sessions = {
      Session(1, At(absl::CivilMinute(2024, 3, 5, 10, 0)), 5, 1),
      Session(2, At(absl::CivilMinute(2024, 3, 12, 10, 0)), 2, 1),
      Session(3, At(absl::CivilMinute(2024, 3, 19, 10, 0)), 3, 2),  // Relapsed to 3.
  };

  const v1::PlanProgress progress = ComputePlanProgress(plan, sessions, absl::UTCTimeZone());

  EXPECT_EQ(progress.first_pain(), 5);
  EXPECT_EQ(progress.latest_pain(), 3);
  EXPECT_EQ(progress.pain_change(), -2);
  EXPECT_DOUBLE_EQ(progress.mean_relief(), (4.0 + 1.0 + 1.0) / 3);
  EXPECT_FALSE(progress.goals(0).met());
}

TEST(ComputePlanProgressTest, ASessionIsLateOnlyMoreThanTwoDaysAfterTheInterval) {
  const plans::v1::TreatmentPlan plan = Plan(7, 4);
  const std::vector<SignedSession> sessions = {
      Session(1, At(absl::CivilMinute(2024, 3, 1, 10, 0)), 5, 4),
      Session(2, At(absl::CivilMinute(2024, 3, 10, 10, 0)), 5,
              4),  // 9 days: interval + 2, on time.
      Session(3, At(absl::CivilMinute(2024, 3, 20, 10, 0)), 4, 3),  // 10 days: interval + 3, late.
      Session(4, At(absl::CivilMinute(2024, 3, 21, 10, 0)), 4, 3),  // 1 day: early is not late.
  };

  const v1::PlanProgress progress = ComputePlanProgress(plan, sessions, absl::UTCTimeZone());

  EXPECT_THAT(GapDays(progress), ElementsAre(9, 10, 1));
  EXPECT_THAT(GapLate(progress), ElementsAre(false, true, false));
  EXPECT_EQ(progress.late_sessions(), 1);
  ASSERT_EQ(progress.gaps_size(), 3);
  EXPECT_EQ(progress.gaps(1).from_note(), sessions[1].note);
  EXPECT_EQ(progress.gaps(1).to_note(), sessions[2].note);
}

TEST(ComputePlanProgressTest, GapsAreCalendarDaysInTheClinicsTimeZone) {
  const plans::v1::TreatmentPlan plan = Plan(1, 3);
  const absl::TimeZone clinic = absl::FixedTimeZone(-5 * 60 * 60);  // UTC-5, no DST.
  // Late evening, then the next morning and a late evening 2 clinic days later: 1 and 2
  // calendar days in the clinic although only 10 and 37 hours pass.
  const std::vector<SignedSession> sessions = {
      Session(1, At(absl::CivilMinute(2024, 3, 4, 22, 0), clinic), 4, 3),  // 03:00 UTC on the 5th.
      Session(2, At(absl::CivilMinute(2024, 3, 5, 8, 0), clinic), 4, 3),   // 13:00 UTC on the 5th.
      Session(3, At(absl::CivilMinute(2024, 3, 7, 21, 0), clinic), 3, 2),  // 02:00 UTC on the 8th.
  };

  EXPECT_THAT(GapDays(ComputePlanProgress(plan, sessions, clinic)), ElementsAre(1, 2));
  // Counted in UTC the same sessions fall on the 5th, the 5th and the 8th.
  EXPECT_THAT(GapDays(ComputePlanProgress(plan, sessions, absl::UTCTimeZone())), ElementsAre(0, 3));
}

TEST(ComputePlanProgressTest, TheSeriesKeepsEachSessionAndCountsEveryAdverseEffect) {
  const plans::v1::TreatmentPlan plan = Plan(7, 6);
  const std::vector<SignedSession> sessions = {
      Session(1, At(absl::CivilMinute(2024, 3, 5, 10, 0)), 6, 4, 0),
      Session(2, At(absl::CivilMinute(2024, 3, 12, 10, 0)), 5, 3, 2),
      Session(3, At(absl::CivilMinute(2024, 3, 19, 10, 0)), 5, 3, 1),
  };

  const v1::PlanProgress progress = ComputePlanProgress(plan, sessions, absl::UTCTimeZone());

  EXPECT_EQ(progress.signed_sessions(), 3);
  EXPECT_EQ(progress.adverse_effect_count(), 3);
  ASSERT_EQ(progress.sessions_size(), 3);
  EXPECT_EQ(progress.sessions(1).note(), sessions[1].note);
  EXPECT_EQ(progress.sessions(1).pain_before(), 5);
  EXPECT_EQ(progress.sessions(1).pain_after(), 3);
  EXPECT_EQ(progress.sessions(1).session_time().seconds(),
            absl::ToUnixSeconds(sessions[1].session_time));
}

}  // namespace
}  // namespace velknee::notes
