#include "clients/cli/note_form.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clients/cli/prompter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/anticoagulant_screening.h"
#include "tests/support/status_matchers.h"

namespace velknee::cli {
namespace {

using notes::v1::SessionNote;
using plans::v1::TreatmentPlan;
using test::IsOk;
using test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  return text;
}

absl::TimeZone London() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
  return zone;
}

// 2024-06-11 16:00 in London (BST), the afternoon the notes are written.
absl::Time Now() { return absl::FromCivil(absl::CivilMinute(2024, 6, 11, 16, 0), London()); }

// The gardener's weekly plan (issue 4), screened as `screening`.
TreatmentPlan GardenerPlan(const common::v1::Screening& screening) {
  TreatmentPlan plan;
  plan.set_name("clients/hazel/plans/knees");
  plan.set_state(TreatmentPlan::STATE_ACTIVE);
  plans::v1::PlannedTechnique* trigger = plan.add_techniques();
  trigger->set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  common::v1::Region* quads = trigger->add_regions();
  quads->set_region(common::v1::BODY_REGION_QUADRICEPS);
  quads->set_side(common::v1::SIDE_BILATERAL);
  trigger->set_pressure(common::v1::PRESSURE_MODERATE);
  trigger->set_minutes(20);
  plan.mutable_cadence()->set_interval_days(7);
  plan.mutable_cadence()->set_planned_sessions(6);
  plan.mutable_cadence()->set_session_minutes(60);
  *plan.mutable_screening() = screening;
  return plan;
}

// clang-format off
// The gardener's fourth session, one answer per line in the order the form asks.
std::vector<std::string> GardenerSessionAnswers() {
  return {
      "2024-06-11", "10:00", "",                     // date, start, the plan's 60 minutes
      "Knees less stiff, still sore after kneeling", "4", "Did the stretches daily",
      "y", "5", "both", "2", "1", "1", "both",      // trigger points in quadriceps, mild,
      "n",                                          //   referring to the front of the knee
      "Kneels with less hesitation",
      "2", "5", "both", "2", "20",                  // trigger point, quadriceps, moderate
      "3", "9", "l", "1", "15",                     // myofascial release, IT band, light
      "",                                           // no more techniques
      "2", "Quadriceps softer", "1",                // pain after, response, soreness
      "Continue weekly; add calf work",
  };
}
// clang-format on

class NoteFormTest : public ::testing::Test {
 protected:
  absl::StatusOr<SessionNote> Take(const std::string& answers, const TreatmentPlan& plan) {
    in_.str(answers);
    Prompter prompter(in_, out_);
    return TakeNoteForm(prompter, plan, Now(), London());
  }

  std::istringstream in_;
  std::ostringstream out_;
};

TEST_F(NoteFormTest, GardenerAnswersMakeTheNote) {
  common::v1::Screening clear;
  clear.set_disposition(common::v1::DISPOSITION_CLEAR);
  absl::StatusOr<SessionNote> note = Take(Lines(GardenerSessionAnswers()), GardenerPlan(clear));
  ASSERT_THAT(note, IsOk()) << out_.str();

  // 10:00 on the clinic's clock is 09:00 UTC in summer.
  EXPECT_EQ(absl::FromUnixSeconds(note->session_time().seconds()),
            absl::FromCivil(absl::CivilMinute(2024, 6, 11, 9, 0), absl::UTCTimeZone()));
  EXPECT_EQ(note->duration_minutes(), 60);
  EXPECT_EQ(note->subjective().report(), "Knees less stiff, still sore after kneeling");
  EXPECT_EQ(note->subjective().pain_before(), 4);
  EXPECT_EQ(note->subjective().since_last_session(), "Did the stretches daily");
  ASSERT_THAT(note->objective().findings(), SizeIs(1));
  EXPECT_EQ(note->objective().findings(0).kind(), common::v1::MuscleFinding::KIND_TRIGGER_POINT);
  EXPECT_EQ(note->objective().findings(0).refers_to().region(),
            common::v1::BODY_REGION_KNEE_ANTERIOR);
  EXPECT_EQ(note->objective().observations(), "Kneels with less hesitation");
  ASSERT_THAT(note->applied(), SizeIs(2));
  EXPECT_EQ(note->applied(0).technique(), common::v1::TECHNIQUE_TRIGGER_POINT);
  EXPECT_EQ(note->applied(0).regions(0).region(), common::v1::BODY_REGION_QUADRICEPS);
  EXPECT_EQ(note->applied(0).regions(0).side(), common::v1::SIDE_BILATERAL);
  EXPECT_EQ(note->applied(0).pressure(), common::v1::PRESSURE_MODERATE);
  EXPECT_EQ(note->applied(0).minutes(), 20);
  EXPECT_EQ(note->applied(1).technique(), common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  EXPECT_EQ(note->applied(1).regions(0).side(), common::v1::SIDE_LEFT);
  EXPECT_EQ(note->applied(1).minutes(), 15);
  EXPECT_EQ(note->assessment().pain_after(), 2);
  EXPECT_EQ(note->assessment().response(), "Quadriceps softer");
  EXPECT_THAT(note->assessment().adverse_effects(),
              ElementsAre(notes::v1::ADVERSE_EFFECT_SORENESS));
  EXPECT_EQ(note->next_steps(), "Continue weekly; add calf work");
  EXPECT_TRUE(note->plan().empty());
  EXPECT_THAT(out_.str(), HasSubstr("== Session (times in Europe/London) =="));
  EXPECT_THAT(out_.str(), HasSubstr("Duration in minutes, 1-180 (empty for the plan's 60):"));
  // The second technique may only use what the first left of the session.
  EXPECT_THAT(out_.str(), HasSubstr("Minutes, 1-40:"));
}

TEST_F(NoteFormTest, BlockedTechniqueIsShownWithItsRestrictionAndNotAdded) {
  // clang-format off
  const std::string answers = Lines({
      "2024-06-11", "10:00", "45",
      "", "5", "",
      "n", "",
      "1", "6", "both", "4",           // deep tissue, hamstrings, deep: blocked twice
      "3", "6", "both", "1", "20",     // myofascial release, hamstrings, light
      "",
      "3", "", "none", "",
  });
  // clang-format on
  absl::StatusOr<SessionNote> note = Take(answers, GardenerPlan(AnticoagulantScreening()));
  ASSERT_THAT(note, IsOk()) << out_.str();
  EXPECT_THAT(out_.str(),
              HasSubstr("  Not added: deep tissue on hamstrings (back of the thigh), both sides, "
                        "deep pressure is blocked by:\n"
                        "    No deep tissue anywhere: client takes blood thinners (bruising "
                        "risk)\n"
                        "    Pressure at most moderate: client takes blood thinners (bruising "
                        "risk)\n"));
  ASSERT_THAT(note->applied(), SizeIs(1));
  EXPECT_EQ(note->applied(0).technique(), common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  EXPECT_TRUE(note->assessment().adverse_effects().empty());
  EXPECT_EQ(note->duration_minutes(), 45);
}

TEST_F(NoteFormTest, SessionInTheFutureIsAskedAgain) {
  // clang-format off
  const std::string answers = Lines({
      "2024-06-12",                    // tomorrow
      "2024-06-11", "16:30",           // later today
      "7:45",                          // this morning
      "60", "", "5", "", "n", "", "2", "5", "both", "2", "20", "", "3", "", "", "",
  });
  // clang-format on
  common::v1::Screening clear;
  absl::StatusOr<SessionNote> note = Take(answers, GardenerPlan(clear));
  ASSERT_THAT(note, IsOk()) << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("that is in the future; write the note after the session"));
  EXPECT_THAT(out_.str(), HasSubstr("that is later than now"));
  EXPECT_EQ(absl::FromUnixSeconds(note->session_time().seconds()),
            absl::FromCivil(absl::CivilMinute(2024, 6, 11, 7, 45), London()));
}

TEST_F(NoteFormTest, PainAndAFirstTechniqueAreRequired) {
  // clang-format off
  const std::string answers = Lines({
      "", "10:00", "",                 // empty date: today
      "", "", "11", "6", "",           // pain before: empty and 11 are asked again
      "n", "",
      "", "2", "5", "both", "2", "20", // an empty first technique is asked again
      "",
      "", "4", "", "", "",
  });
  // clang-format on
  common::v1::Screening clear;
  absl::StatusOr<SessionNote> note = Take(answers, GardenerPlan(clear));
  ASSERT_THAT(note, IsOk()) << out_.str();
  EXPECT_EQ(note->subjective().pain_before(), 6);
  EXPECT_EQ(note->assessment().pain_after(), 4);
  EXPECT_THAT(note->applied(), SizeIs(1));
  EXPECT_EQ(absl::FromUnixSeconds(note->session_time().seconds()),
            absl::FromCivil(absl::CivilMinute(2024, 6, 11, 10, 0), London()));
}

TEST_F(NoteFormTest, AnswersEndingEarlyStopTheForm) {
  const std::vector<std::string> all = GardenerSessionAnswers();
  const std::vector<std::string> half(all.begin(), all.begin() + 10);
  EXPECT_THAT(Take(Lines(half), GardenerPlan(common::v1::Screening())),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("before the form was complete")));
}

TEST(PlanBriefingTest, ShowsThePlansTechniquesAndRestrictions) {
  const std::string briefing = PlanBriefing(GardenerPlan(AnticoagulantScreening()));
  EXPECT_THAT(briefing, HasSubstr("Plan: clients/hazel/plans/knees (weekly, 6 sessions of 60 "
                                  "minutes)\n"));
  EXPECT_THAT(
      briefing,
      HasSubstr(
          "Planned techniques:\n  - trigger point therapy on quadriceps (front of the thigh), "
          "both sides, moderate pressure, 20 min\n"));
  EXPECT_THAT(briefing, HasSubstr("Screening: TREAT WITH PRECAUTIONS\n"
                                  "  - No deep tissue anywhere: client takes blood thinners"));
}

}  // namespace
}  // namespace velknee::cli
