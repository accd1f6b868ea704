#include "clients/cli/progress_report.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace velknee::cli {
namespace {

using notes::v1::PlanProgress;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Day offsets of the gardener's six sessions from 2024-05-07: weekly, but the fifth came 10 days
// after the fourth.
constexpr int kSessionDays[] = {0, 7, 14, 21, 31, 38};
constexpr int kBefore[] = {6, 5, 5, 4, 3, 2};
constexpr int kAfter[] = {4, 3, 3, 2, 2, 1};

// The gardener's progress as GetPlanProgress reports it (issue 5).
PlanProgress GardenerProgress() {
  PlanProgress p;
  p.set_plan("clients/hazel/plans/knees");
  p.set_planned_sessions(6);
  p.set_signed_sessions(6);
  p.set_planned_interval_days(7);
  for (int i = 0; i < 6; ++i) {
    notes::v1::SessionPain* s = p.add_sessions();
    s->set_note(absl::StrCat("clients/hazel/notes/n", i + 1));
    const absl::Time time = absl::FromCivil(absl::CivilMinute(2024, 5, 7 + kSessionDays[i], 10, 0),
                                            absl::UTCTimeZone());
    s->mutable_session_time()->set_seconds(absl::ToUnixSeconds(time));
    s->set_pain_before(kBefore[i]);
    s->set_pain_after(kAfter[i]);
    if (i > 0) {
      notes::v1::SessionGap* gap = p.add_gaps();
      gap->set_from_note(absl::StrCat("clients/hazel/notes/n", i));
      gap->set_to_note(s->note());
      gap->set_days(kSessionDays[i] - kSessionDays[i - 1]);
      gap->set_late(gap->days() > 9);
    }
  }
  p.set_first_pain(6);
  p.set_latest_pain(2);
  p.set_pain_change(-4);
  p.set_mean_relief(10.0 / 6.0);
  p.set_late_sessions(1);
  p.set_adverse_effect_count(1);
  notes::v1::GoalProgress* kneel = p.add_goals();
  kneel->set_description("Kneel in the garden for an hour");
  kneel->set_target_pain(2);
  kneel->set_met(true);
  notes::v1::GoalProgress* run = p.add_goals();
  run->set_description("Run 5 km without knee pain");
  run->set_target_pain(0);
  run->set_met(false);
  return p;
}

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n'); }

// The chart's row for NPRS `level`, e.g. " 4 |  o        #"; "" when there is none.
std::string ChartRow(const std::string& report, int level) {
  const std::string prefix = absl::StrFormat("%2d |", level);
  for (const std::string& line : Lines(report)) {
    if (absl::StartsWith(line, prefix)) return line;
  }
  return "";
}

// The table's row for session `number` (1-based).
std::string TableRow(const std::string& report, int number) {
  const std::string prefix = absl::StrFormat("%3d  ", number);
  for (const std::string& line : Lines(report)) {
    if (absl::StartsWith(line, prefix)) return line;
  }
  return "";
}

// The character of `row` in session `number`'s column (1-based), ' ' past the end.
char Mark(const std::string& row, int number) {
  const size_t column = 4 + 3 * (number - 1) + 2;
  return column < row.size() ? row[column] : ' ';
}

TEST(ProgressReportTest, SummaryHasTheNumbersATherapistChecks) {
  const std::string report = ProgressReport(GardenerProgress(), absl::UTCTimeZone());
  EXPECT_THAT(report, HasSubstr("Progress of clients/hazel/plans/knees\n"));
  EXPECT_THAT(report, HasSubstr("Sessions:        6 of 6 signed (planned every 7 days)\n"));
  EXPECT_THAT(report, HasSubstr("Pain before:     first 6, latest 2, change -4\n"));
  EXPECT_THAT(report, HasSubstr("Mean relief:     1.67 "));
  EXPECT_THAT(report, HasSubstr("Late sessions:   1 "));
  EXPECT_THAT(report, HasSubstr("Adverse effects: 1\n"));
}

TEST(ProgressReportTest, ChartMarksPainBeforeAndAfterInEachSessionsColumn) {
  const std::string report = ProgressReport(GardenerProgress(), absl::UTCTimeZone());
  for (int session = 1; session <= 6; ++session) {
    for (int level = 0; level <= 10; ++level) {
      const bool before = kBefore[session - 1] == level;
      const bool after = kAfter[session - 1] == level;
      const char expected = before ? '#' : after ? 'o' : ' ';
      EXPECT_EQ(Mark(ChartRow(report, level), session), expected)
          << "session " << session << ", NPRS " << level << "\n"
          << report;
    }
  }
  // Exactly, for a few rows: the columns are three characters wide.
  EXPECT_EQ(ChartRow(report, 6), " 6 |  #");
  EXPECT_EQ(ChartRow(report, 5), " 5 |     #  #");
  EXPECT_EQ(ChartRow(report, 4), " 4 |  o        #");
  EXPECT_EQ(ChartRow(report, 2), " 2 |           o  o  #");
  EXPECT_EQ(ChartRow(report, 10), "10 |");
  EXPECT_THAT(report, HasSubstr("   +-------------------\n      1  2  3  4  5  6  session\n"));
}

TEST(ProgressReportTest, ChartMarksASessionWithoutReliefOnce) {
  PlanProgress progress = GardenerProgress();
  progress.mutable_sessions(2)->set_pain_after(5);  // session 3: 5 -> 5
  const std::string report = ProgressReport(progress, absl::UTCTimeZone());
  EXPECT_EQ(Mark(ChartRow(report, 5), 3), '*');
  EXPECT_EQ(Mark(ChartRow(report, 3), 3), ' ');
}

TEST(ProgressReportTest, TableShowsEachSessionWithItsGapAndTheLateOne) {
  const std::string report = ProgressReport(GardenerProgress(), absl::UTCTimeZone());
  EXPECT_THAT(report, HasSubstr("  #  DATE        BEFORE  AFTER  RELIEF  GAP\n"));
  EXPECT_EQ(TableRow(report, 1), "  1  2024-05-07       6      4       2");
  EXPECT_EQ(TableRow(report, 2), "  2  2024-05-14       5      3       2  7 d");
  EXPECT_THAT(TableRow(report, 4),
              AllOf(HasSubstr("2024-05-28"), HasSubstr("7 d"), Not(HasSubstr("late"))));
  EXPECT_EQ(TableRow(report, 5), "  5  2024-06-07       3      2       1  10 d  late");
  EXPECT_THAT(TableRow(report, 6), AllOf(HasSubstr("7 d"), Not(HasSubstr("late"))));
}

TEST(ProgressReportTest, DatesAreShownInTheGivenTimeZone) {
  PlanProgress progress = GardenerProgress();
  // 23:30 UTC on 2024-05-07 is already 2024-05-08 in Auckland.
  progress.mutable_sessions(0)->mutable_session_time()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(2024, 5, 7, 23, 30), absl::UTCTimeZone())));
  absl::TimeZone auckland;
  ASSERT_TRUE(absl::LoadTimeZone("Pacific/Auckland", &auckland));
  EXPECT_THAT(TableRow(ProgressReport(progress, auckland), 1), HasSubstr("2024-05-08"));
  EXPECT_THAT(TableRow(ProgressReport(progress, absl::UTCTimeZone()), 1), HasSubstr("2024-05-07"));
}

TEST(ProgressReportTest, GoalsSayWhichAreMet) {
  const std::string report = ProgressReport(GardenerProgress(), absl::UTCTimeZone());
  EXPECT_THAT(report, HasSubstr("Goals:\n"
                                "  [met]     Kneel in the garden for an hour (target pain 2)\n"
                                "  [not yet] Run 5 km without knee pain (target pain 0)\n"));
}

TEST(ProgressReportTest, PlanWithoutSignedSessionsSaysSo) {
  PlanProgress progress;
  progress.set_plan("clients/hazel/plans/knees");
  progress.set_planned_sessions(6);
  progress.set_planned_interval_days(7);
  const std::string report = ProgressReport(progress, absl::UTCTimeZone());
  EXPECT_THAT(report, HasSubstr("Sessions:        0 of 6 signed"));
  EXPECT_THAT(report, HasSubstr("first -, latest -, change -"));
  EXPECT_THAT(report, HasSubstr("Mean relief:     - "));
  EXPECT_THAT(report, HasSubstr("No signed sessions yet."));
  EXPECT_THAT(ChartRow(report, 5), IsEmpty());
}

}  // namespace
}  // namespace velknee::cli
