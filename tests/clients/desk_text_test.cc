// The pure parts of velknee-desk's scheduling commands: working hours as
// typed, local times (across a daylight-saving change), and the day sheet
// rendered from fixed appointments.

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/cli/dates.h"
#include "clients/cli/day_sheet.h"
#include "clients/cli/therapist_commands.h"
#include "clients/cli/working_hours.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace velknee::cli {
namespace {

using scheduling::v1::Appointment;
using scheduling::v1::Therapist;
using scheduling::v1::WorkingHours;
using ::testing::HasSubstr;

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

google::type::Date MakeDate(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

TEST(ParseWorkingHoursTest, DayRangesAndSingleDays) {
  auto hours = ParseWorkingHours("mon-fri 09:00-17:00,sat 09:00-13:00");
  ASSERT_TRUE(hours.ok()) << hours.status();
  ASSERT_EQ(hours->size(), 6u);
  EXPECT_EQ((*hours)[0].day(), google::type::MONDAY);
  EXPECT_EQ((*hours)[4].day(), google::type::FRIDAY);
  EXPECT_EQ((*hours)[4].end().hours(), 17);
  EXPECT_EQ((*hours)[5].day(), google::type::SATURDAY);
  EXPECT_EQ((*hours)[5].end().hours(), 13);
  EXPECT_EQ((*hours)[5].start().minutes(), 0);
}

TEST(ParseWorkingHoursTest, LongNamesSplitDaysAndMidnight) {
  auto hours = ParseWorkingHours(" Tuesday 08:30-12:00 , tue 13:15-24:00 ");
  ASSERT_TRUE(hours.ok()) << hours.status();
  ASSERT_EQ(hours->size(), 2u);
  EXPECT_EQ((*hours)[0].start().minutes(), 30);
  EXPECT_EQ((*hours)[1].start().minutes(), 15);
  EXPECT_EQ((*hours)[1].end().hours(), 24);
}

TEST(ParseWorkingHoursTest, OneLineErrors) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c :
       {Case{"mon-fri", "is not DAYS HH:MM-HH:MM"}, Case{"mun 09:00-17:00", "unknown weekday"},
        Case{"fri-mon 09:00-17:00", "runs backwards"}, Case{"mon 9:00-17:00", "not HH:MM"},
        Case{"mon 09:00-24:30", "not HH:MM"}, Case{"mon 17:00-09:00", "ends before it starts"},
        Case{"", "no working hours"}}) {
    auto hours = ParseWorkingHours(c.text);
    ASSERT_FALSE(hours.ok()) << c.text;
    EXPECT_EQ(hours.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(hours.status().message()), HasSubstr(c.says)) << c.text;
    EXPECT_THAT(std::string(hours.status().message()), HasSubstr("--hours")) << c.text;
    EXPECT_EQ(std::string(hours.status().message()).find('\n'), std::string::npos);
  }
}

TEST(FormatWorkingHoursTest, MergesEqualConsecutiveDaysAndRoundTrips) {
  const std::string text = "mon-fri 09:00-17:00, sat 09:00-13:00";
  auto hours = ParseWorkingHours(text);
  ASSERT_TRUE(hours.ok());
  google::protobuf::RepeatedPtrField<WorkingHours> field(hours->begin(), hours->end());
  EXPECT_EQ(FormatWorkingHours(field), text);

  auto split = ParseWorkingHours("wed 13:00-17:00,mon 09:00-12:00,mon 13:00-17:00");
  ASSERT_TRUE(split.ok());
  google::protobuf::RepeatedPtrField<WorkingHours> split_field(split->begin(), split->end());
  EXPECT_EQ(FormatWorkingHours(split_field), "mon 09:00-12:00, mon 13:00-17:00, wed 13:00-17:00");
}

TEST(ParseTechniqueTest, WordsAndErrors) {
  EXPECT_EQ(*ParseTechnique("trigger_point", "--technique"), common::v1::TECHNIQUE_TRIGGER_POINT);
  EXPECT_EQ(*ParseTechnique("Myofascial-Release", "--technique"),
            common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  auto bad = ParseTechnique("reiki", "--technique");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("trigger_point"));
}

TEST(ParseLocalTimeTest, UtcAndLondonAcrossDaylightSaving) {
  const absl::TimeZone london = Zone("Europe/London");
  // Winter: GMT = UTC.
  auto winter = ParseLocalTime("2026-03-24 10:00", london, "--start");
  ASSERT_TRUE(winter.ok()) << winter.status();
  EXPECT_EQ(winter->seconds(), absl::ToUnixSeconds(absl::FromCivil(
                                   absl::CivilMinute(2026, 3, 24, 10, 0), absl::UTCTimeZone())));
  // The clocks went forward on 2026-03-29: 10:00 BST is 09:00 UTC.
  auto summer = ParseLocalTime("2026-03-31T10:00", london, "--start");
  ASSERT_TRUE(summer.ok()) << summer.status();
  EXPECT_EQ(summer->seconds(), absl::ToUnixSeconds(absl::FromCivil(
                                   absl::CivilMinute(2026, 3, 31, 9, 0), absl::UTCTimeZone())));
  // 01:30 did not exist that night.
  auto skipped = ParseLocalTime("2026-03-29 01:30", london, "--start");
  ASSERT_FALSE(skipped.ok());
  EXPECT_THAT(std::string(skipped.status().message()), HasSubstr("does not exist"));
  // Shapes.
  for (const char* bad : {"2026-03-31", "2026-03-31 10", "2026-02-30 10:00", "2026-03-31 25:00"}) {
    EXPECT_FALSE(ParseLocalTime(bad, london, "--start").ok()) << bad;
  }
}

TEST(LocalDayTest, ShortDayInLondon) {
  const DayRange day = LocalDay(MakeDate(2026, 3, 29), Zone("Europe/London"));
  EXPECT_EQ(day.end.seconds() - day.start.seconds(), 23 * 3600);
}

Appointment MakeAppointment(const std::string& name, const std::string& client,
                            const std::string& therapist, absl::CivilMinute start_utc, int minutes,
                            Appointment::State state) {
  Appointment a;
  a.set_name(name);
  a.set_client(client);
  a.set_therapist(therapist);
  a.mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(start_utc, absl::UTCTimeZone())));
  a.set_duration_minutes(minutes);
  a.set_state(state);
  return a;
}

TEST(DaySheetTest, OneTablePerTherapistInLocalTime) {
  Therapist ana;
  ana.set_name("therapists/ana");
  ana.set_display_name("Ana Costa");
  Therapist bo;
  bo.set_name("therapists/bo");
  bo.set_display_name("Bo Nyström");
  // 2026-03-31 in London is BST (UTC+1).
  const std::vector<Appointment> appointments = {
      MakeAppointment("appointments/a1", "clients/h", "therapists/bo",
                      absl::CivilMinute(2026, 3, 31, 8, 0), 60, Appointment::STATE_BOOKED),
      MakeAppointment("appointments/a2", "clients/o", "therapists/ana",
                      absl::CivilMinute(2026, 3, 31, 9, 0), 45, Appointment::STATE_CHECKED_IN),
      MakeAppointment("appointments/a3", "clients/h", "therapists/ana",
                      absl::CivilMinute(2026, 3, 31, 13, 0), 60, Appointment::STATE_CANCELLED),
  };
  const std::map<std::string, std::string> clients = {{"clients/h", "Hazel Thornbury"},
                                                      {"clients/o", "Oskar Lindqvist"}};
  const std::string sheet =
      DaySheet(MakeDate(2026, 3, 31), Zone("Europe/London"), appointments, {ana, bo}, clients);
  EXPECT_EQ(sheet,
            "Day sheet for Tuesday 2026-03-31 (Europe/London)\n"
            "\n"
            "Ana Costa (therapists/ana)\n"
            "TIME         CLIENT           STATE       APPOINTMENT\n"
            "10:00–10:45  Oskar Lindqvist  checked in  appointments/a2\n"
            "14:00–15:00  Hazel Thornbury  cancelled   appointments/a3\n"
            "\n"
            "Bo Nyström (therapists/bo)\n"
            "TIME         CLIENT           STATE   APPOINTMENT\n"
            "09:00–10:00  Hazel Thornbury  booked  appointments/a1\n");
}

TEST(DaySheetTest, EmptyDayAndUnknownNames) {
  EXPECT_THAT(DaySheet(MakeDate(2026, 4, 1), absl::UTCTimeZone(), {}, {}, {}),
              HasSubstr("No appointments."));
  const std::string sheet = DaySheet(
      MakeDate(2026, 4, 1), absl::UTCTimeZone(),
      {MakeAppointment("appointments/x", "clients/z", "therapists/gone",
                       absl::CivilMinute(2026, 4, 1, 9, 0), 30, Appointment::STATE_NO_SHOW)},
      {}, {});
  EXPECT_THAT(sheet, HasSubstr("therapists/gone\n"));
  EXPECT_THAT(sheet, HasSubstr("09:00–09:30  clients/z  no-show  appointments/x"));
}

}  // namespace
}  // namespace velknee::cli
