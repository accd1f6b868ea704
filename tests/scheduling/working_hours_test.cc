// Working hours on their own: which intervals are valid, and which slots lie inside them, in
// UTC and across Europe/London's daylight-saving changes (fixed past dates: this is pure
// arithmetic, no clock).

#include "services/scheduling/working_hours.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/scheduling_validation.h"
#include "tests/support/status_details.h"

namespace velknee::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

google::type::TimeOfDay At(int hours, int minutes, int seconds = 0) {
  google::type::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  time.set_seconds(seconds);
  return time;
}

v1::WorkingHours Hours(google::type::DayOfWeek day, google::type::TimeOfDay start,
                       google::type::TimeOfDay end) {
  v1::WorkingHours hours;
  hours.set_day(day);
  *hours.mutable_start() = start;
  *hours.mutable_end() = end;
  return hours;
}

// The field paths a therapist working `hours` is refused for: the rules therapist.proto declares
// (a day, at most 50 intervals) and CheckWorkingHours (times, order, overlaps).
std::vector<std::string> Violations(const std::vector<v1::WorkingHours>& hours) {
  v1::Therapist therapist;
  therapist.set_display_name("Ana Example");
  for (const v1::WorkingHours& interval : hours) *therapist.add_working_hours() = interval;
  return test::ViolatedFields(ValidateTherapist(therapist));
}

v1::Therapist Working(const std::vector<v1::WorkingHours>& hours) {
  v1::Therapist therapist;
  therapist.set_display_name("Ana Example");
  for (const v1::WorkingHours& interval : hours) *therapist.add_working_hours() = interval;
  return therapist;
}

absl::Time Local(absl::CivilMinute when, absl::TimeZone zone) {
  return absl::FromCivil(when, zone);
}

absl::TimeZone London() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
  return zone;
}

TEST(CheckWorkingHoursTest, AcceptsOrdinaryAdjacentAndMidnightEndingIntervals) {
  EXPECT_THAT(Violations({Hours(google::type::TUESDAY, At(9, 0), At(12, 0)),
                          Hours(google::type::TUESDAY, At(12, 0), At(17, 30)),
                          Hours(google::type::WEDNESDAY, At(9, 0), At(17, 0)),
                          Hours(google::type::FRIDAY, At(20, 0), At(24, 0)),
                          Hours(google::type::SUNDAY, At(0, 0), At(0, 1))}),
              IsEmpty());
}

TEST(CheckWorkingHoursTest, StartMustComeBeforeEnd) {
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0), At(9, 0))}),
              ElementsAre("therapist.working_hours[0].end"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0), At(17, 0)),
                          Hours(google::type::MONDAY, At(18, 0), At(17, 59))}),
              ElementsAre("therapist.working_hours[1].end"));
}

TEST(CheckWorkingHoursTest, OverlappingIntervalsOnOneDayAreNamed) {
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0), At(13, 0)),
                          Hours(google::type::MONDAY, At(12, 59), At(17, 0))}),
              ElementsAre("therapist.working_hours[1]"));
  // One inside another, and a third overlapping both.
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0), At(17, 0)),
                          Hours(google::type::MONDAY, At(10, 0), At(11, 0)),
                          Hours(google::type::MONDAY, At(8, 0), At(18, 0))}),
              ElementsAre("therapist.working_hours[1]", "therapist.working_hours[2]",
                          "therapist.working_hours[2]"));
  // The same times on different days do not overlap.
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0), At(17, 0)),
                          Hours(google::type::THURSDAY, At(9, 0), At(17, 0))}),
              IsEmpty());
}

TEST(CheckWorkingHoursTest, TimesMustBeOnTheMinuteWithinTheDay) {
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 60), At(17, 0))}),
              ElementsAre("therapist.working_hours[0].start"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0, 30), At(17, 0))}),
              ElementsAre("therapist.working_hours[0].start"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(9, 0), At(17, 0, 1))}),
              ElementsAre("therapist.working_hours[0].end"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(-1, 0), At(17, 0))}),
              ElementsAre("therapist.working_hours[0].start"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(24, 0), At(24, 0))}),
              ElementsAre("therapist.working_hours[0].start"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(20, 0), At(24, 30))}),
              ElementsAre("therapist.working_hours[0].end"));
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, At(20, 0), At(25, 0))}),
              ElementsAre("therapist.working_hours[0].end"));
  google::type::TimeOfDay with_nanos = At(9, 0);
  with_nanos.set_nanos(1);
  EXPECT_THAT(Violations({Hours(google::type::MONDAY, with_nanos, At(17, 0))}),
              ElementsAre("therapist.working_hours[0].start"));
}

TEST(CheckWorkingHoursTest, DayIsRequiredAndKnown) {
  EXPECT_THAT(Violations({Hours(google::type::DAY_OF_WEEK_UNSPECIFIED, At(9, 0), At(17, 0))}),
              ElementsAre("therapist.working_hours[0].day"));
  EXPECT_THAT(Violations({Hours(static_cast<google::type::DayOfWeek>(8), At(9, 0), At(17, 0))}),
              ElementsAre("therapist.working_hours[0].day"));
}

TEST(CheckWorkingHoursTest, AtMostFiftyIntervals) {
  std::vector<v1::WorkingHours> hours;
  for (int i = 0; i < 51; ++i) {
    hours.push_back(
        Hours(static_cast<google::type::DayOfWeek>(1 + i % 7), At(i / 7, 0), At(i / 7, 30)));
  }
  EXPECT_THAT(Violations(hours), ElementsAre("therapist.working_hours"));
  hours.pop_back();
  EXPECT_THAT(Violations(hours), IsEmpty());
}

// 2024-06-04 was a Tuesday.
TEST(WithinWorkingHoursTest, TheWholeSlotMustLieInsideOneInterval) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const v1::Therapist ana = Working({Hours(google::type::TUESDAY, At(9, 0), At(12, 0)),
                                     Hours(google::type::TUESDAY, At(13, 0), At(17, 0))});
  auto inside = [&](int hour, int minute, int minutes) {
    return WithinWorkingHours(ana, Local(absl::CivilMinute(2024, 6, 4, hour, minute), utc),
                              absl::Minutes(minutes), utc);
  };
  EXPECT_TRUE(inside(9, 0, 60));
  EXPECT_TRUE(inside(11, 0, 60));  // Ends exactly at the interval's end.
  EXPECT_TRUE(inside(16, 0, 60));
  EXPECT_FALSE(inside(8, 59, 15));   // Starts before.
  EXPECT_FALSE(inside(8, 30, 60));   // Starts before, ends inside.
  EXPECT_FALSE(inside(11, 30, 60));  // Starts inside, ends in the lunch break.
  EXPECT_FALSE(inside(12, 0, 30));   // Lunch.
  EXPECT_FALSE(inside(11, 0, 180));  // Spans both intervals and the break.
  EXPECT_FALSE(inside(16, 30, 45));  // Ends after 17:00.
  // Wednesday: no hours.
  EXPECT_FALSE(WithinWorkingHours(ana, Local(absl::CivilMinute(2024, 6, 5, 10, 0), utc),
                                  absl::Minutes(30), utc));
}

// google.type.DayOfWeek numbers Monday 1 .. Sunday 7; absl's weekdays must map onto them.
TEST(WithinWorkingHoursTest, EachWeekdayMapsToItsOwnHours) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay monday(2024, 6, 3);
  for (int day = 1; day <= 7; ++day) {
    const v1::Therapist therapist =
        Working({Hours(static_cast<google::type::DayOfWeek>(day), At(9, 0), At(17, 0))});
    for (int offset = 0; offset < 7; ++offset) {
      const absl::Time start = Local(absl::CivilMinute(monday + offset) + 10 * 60, utc);
      EXPECT_EQ(WithinWorkingHours(therapist, start, absl::Minutes(60), utc), offset + 1 == day)
          << "hours on day " << day << ", slot on " << absl::CivilDay(monday + offset);
    }
  }
}

TEST(WithinWorkingHoursTest, ASlotMayEndAtMidnightButNotCrossIt) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const v1::Therapist late = Working({Hours(google::type::FRIDAY, At(20, 0), At(24, 0)),
                                      Hours(google::type::SATURDAY, At(0, 0), At(2, 0))});
  // 2024-06-07 was a Friday.
  EXPECT_TRUE(WithinWorkingHours(late, Local(absl::CivilMinute(2024, 6, 7, 23, 0), utc),
                                 absl::Minutes(60), utc));
  EXPECT_FALSE(WithinWorkingHours(late, Local(absl::CivilMinute(2024, 6, 7, 23, 30), utc),
                                  absl::Minutes(60), utc));
  EXPECT_TRUE(WithinWorkingHours(late, Local(absl::CivilMinute(2024, 6, 8, 0, 0), utc),
                                 absl::Minutes(60), utc));
}

TEST(WithinWorkingHoursTest, HoursAreJudgedInTheClinicsZoneNotUtc) {
  const absl::TimeZone london = London();
  const v1::Therapist ana = Working({Hours(google::type::TUESDAY, At(9, 0), At(17, 0))});
  // 2024-07-02 was a Tuesday, in British Summer Time (UTC+1).
  const absl::Time nine_local = Local(absl::CivilMinute(2024, 7, 2, 9, 0), london);
  EXPECT_EQ(absl::FormatTime("%H:%M", nine_local, absl::UTCTimeZone()), "08:00");
  EXPECT_TRUE(WithinWorkingHours(ana, nine_local, absl::Minutes(60), london));
  EXPECT_FALSE(WithinWorkingHours(ana, nine_local, absl::Minutes(60), absl::UTCTimeZone()));
  const absl::Time four_thirty_local = Local(absl::CivilMinute(2024, 7, 2, 16, 30), london);
  EXPECT_FALSE(WithinWorkingHours(ana, four_thirty_local, absl::Minutes(60), london));
}

// Clocks went back at 02:00 BST on Sunday 2024-10-27 and forward at 01:00 GMT on Sunday
// 2024-03-31. Hours keep their wall-clock times on both sides.
TEST(WithinWorkingHoursTest, DaylightSavingChangesKeepTheWallClockHours) {
  const absl::TimeZone london = London();
  std::vector<v1::WorkingHours> every_day;
  for (int day = 1; day <= 7; ++day) {
    every_day.push_back(Hours(static_cast<google::type::DayOfWeek>(day), At(9, 0), At(17, 0)));
  }
  const v1::Therapist ana = Working(every_day);
  for (const absl::CivilDay change : {absl::CivilDay(2024, 10, 27), absl::CivilDay(2024, 3, 31)}) {
    for (const absl::CivilDay day : {change - 1, change, change + 1}) {
      const absl::CivilMinute morning = absl::CivilMinute(day) + 9 * 60;
      EXPECT_TRUE(WithinWorkingHours(ana, Local(morning, london), absl::Minutes(60), london))
          << day;
      EXPECT_TRUE(
          WithinWorkingHours(ana, Local(morning + 7 * 60, london), absl::Minutes(60), london))
          << day;
      EXPECT_FALSE(WithinWorkingHours(ana, Local(morning - 30, london), absl::Minutes(60), london))
          << day;
      EXPECT_FALSE(
          WithinWorkingHours(ana, Local(morning + 7 * 60 + 30, london), absl::Minutes(60), london))
          << day;
    }
  }
  // Night hours across the spring change: 00:30 GMT + 60 minutes is 02:30 BST on the wall.
  const v1::Therapist night = Working({Hours(google::type::SUNDAY, At(0, 0), At(2, 0))});
  EXPECT_FALSE(WithinWorkingHours(night, Local(absl::CivilMinute(2024, 3, 31, 0, 30), london),
                                  absl::Minutes(60), london));
  EXPECT_TRUE(WithinWorkingHours(night, Local(absl::CivilMinute(2024, 3, 31, 0, 0), london),
                                 absl::Minutes(60), london));
}

}  // namespace
}  // namespace velknee::scheduling
