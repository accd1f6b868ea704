// The front desk's scheduling, end to end: a real velknee-server process on a loopback port,
// driven only through velknee-desk command lines. An administrator adds two therapists with
// their hours, the desk registers two clients, books, is refused an overlapping booking with
// one SLOT_CONFLICT line, cancels, and reads the day sheet.

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_people.h"
#include "tests/e2e/clinic_process.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee {
namespace {

using scheduling::v1::Appointment;
using scheduling::v1::Therapist;
using test::ActivePlanFromFile;
using test::ClinicProcess;
using test::CommandResult;
using test::DayText;
using test::LineCount;
using test::LineWith;
using test::NextTuesdayAfterAWeek;
using test::ParseJson;
using test::SubmittedIntakeFromFile;
using test::ZoneNamed;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kZone[] = "Europe/London";

class DeskSchedulingE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("VELKNEE_TOKEN");
    desk_token_file_ = clinic_.AddToken("front_desk", "desk-sched-e2e");
    admin_token_file_ = clinic_.AddToken("admin", "admin-sched-e2e");
    port_ = clinic_.Start({absl::StrCat("--clinic_time_zone=", kZone)});
    ASSERT_NE(port_, 0) << clinic_.ServerLog();
  }

  // `velknee-desk args...` as the front desk, or as the administrator.
  CommandResult Desk(std::vector<std::string> args, bool admin = false) const {
    args.push_back(absl::StrCat("--target=127.0.0.1:", port_));
    args.push_back("--token_file=" + (admin ? admin_token_file_ : desk_token_file_));
    // Times are typed and shown in the clinic's zone; `clients` and `therapists` take no times.
    if (args[0] != "clients" && args[0] != "therapists") {
      args.push_back(absl::StrCat("--time_zone=", kZone));
    }
    return clinic_.Desk(args);
  }

  std::string AddClient(const std::string& given, const std::string& family,
                        const std::string& phone) const {
    const CommandResult added = Desk({"clients", "add", "--given_name=" + given,
                                      "--family_name=" + family, "--phone=" + phone, "--json"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return ParseJson<intake::v1::Client>(added.out).name();
  }

  ClinicProcess clinic_;
  std::string desk_token_file_;
  std::string admin_token_file_;
  int port_ = 0;
};

TEST_F(DeskSchedulingE2eTest, TherapistsBookingConflictCancelAndDaySheet) {
  // The administrator adds two therapists with their weekly hours.
  const CommandResult ana =
      Desk({"therapists", "add", "--therapist_id=ana", "--display_name=Ana Costa",
            "--techniques=trigger_point", "--hours=mon-fri 09:00-17:00,sat 09:00-13:00"},
           /*admin=*/true);
  ASSERT_EQ(ana.exit_code, 0) << ana.err;
  EXPECT_THAT(ana.out,
              AllOf(HasSubstr("therapists/ana"), HasSubstr("Ana Costa"), HasSubstr("trigger_point"),
                    HasSubstr("mon-fri 09:00-17:00, sat 09:00-13:00")));
  const CommandResult bo =
      Desk({"therapists", "add", "--therapist_id=bo", "--display_name=Bo Lindgren",
            "--techniques=myofascial_release", "--hours=tue-thu 10:00-18:00", "--json"},
           /*admin=*/true);
  ASSERT_EQ(bo.exit_code, 0) << bo.err;
  EXPECT_EQ(ParseJson<Therapist>(bo.out).working_hours_size(), 3);

  // The front desk may not add therapists; a bad hours text never reaches the server.
  const CommandResult refused =
      Desk({"therapists", "add", "--display_name=Cy", "--hours=mon 09:00-17:00"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, StartsWith("error: PERMISSION_DENIED"));
  const CommandResult bad_hours =
      Desk({"therapists", "add", "--display_name=Cy", "--hours=mon 17:00-09:00"}, /*admin=*/true);
  EXPECT_EQ(bad_hours.exit_code, 2);
  EXPECT_EQ(LineCount(bad_hours.err), 1) << bad_hours.err;
  EXPECT_THAT(bad_hours.err, HasSubstr("ends before it starts"));

  // The desk finds who offers trigger point therapy.
  const CommandResult listed = Desk({"therapists", "list", "--technique=trigger_point"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("Ana Costa"));
  EXPECT_THAT(listed.out, Not(HasSubstr("Bo Lindgren")));

  // Two invented clients (phones in Ofcom's drama ranges).
  const std::string hazel = AddClient("Hazel", "Thornbury", "+44 7700 900123");
  const std::string oskar = AddClient("Oskar", "Lindqvist", "020 7946 0958");
  ASSERT_THAT(hazel, StartsWith("clients/"));
  ASSERT_THAT(oskar, StartsWith("clients/"));

  const std::string tuesday = DayText(NextTuesdayAfterAWeek(ZoneNamed(kZone)));
  const CommandResult slots =
      Desk({"slots", "--technique=trigger_point", "--from=" + tuesday, "--days=1"});
  ASSERT_EQ(slots.exit_code, 0) << slots.err;
  EXPECT_THAT(LineWith(slots.out, "therapists/ana"), AllOf(HasSubstr("09:00"), HasSubstr("10:00")));

  // A single booking at 10:00 local time.
  const CommandResult booked = Desk({"book", "--client=" + hazel, "--therapist=therapists/ana",
                                     "--start=" + tuesday + " 10:00", "--duration=60", "--json"});
  ASSERT_EQ(booked.exit_code, 0) << booked.err;
  const Appointment appointment = ParseJson<Appointment>(booked.out);
  EXPECT_EQ(appointment.state(), Appointment::STATE_BOOKED);

  // An overlapping booking with the same therapist: the SLOT_CONFLICT error line naming the
  // booking, then who holds the slot and when, by name (from the error's SlotConflict detail).
  const CommandResult conflict = Desk(
      {"book", "--client=" + oskar, "--therapist=therapists/ana", "--start=" + tuesday + " 10:30"});
  EXPECT_EQ(conflict.exit_code, 1);
  EXPECT_EQ(LineCount(conflict.err), 2) << conflict.err;
  EXPECT_THAT(conflict.err,
              AllOf(StartsWith("error: FAILED_PRECONDITION"), HasSubstr(appointment.name())));
  EXPECT_EQ(LineWith(conflict.err, "Hazel Thornbury"),
            "  " + tuesday + " 10:30 is taken: " + appointment.name() +
                ", Hazel Thornbury with Ana Costa, 10:00\xE2\x80\x93" + "11:00");

  // Oskar goes to Bo instead; then Hazel's appointment is cancelled.
  const CommandResult with_bo = Desk({"book", "--client=" + oskar, "--therapist=therapists/bo",
                                      "--start=" + tuesday + " 11:00", "--duration=45"});
  ASSERT_EQ(with_bo.exit_code, 0) << with_bo.err;
  EXPECT_THAT(with_bo.out, HasSubstr(tuesday + " 11:00"));
  const CommandResult cancelled = Desk({"cancel", appointment.name(), "--reason=client ill"});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_THAT(cancelled.out, AllOf(HasSubstr("cancelled"), HasSubstr("client ill")));

  // The day sheet: one table per therapist, local times, client names and states.
  const CommandResult day = Desk({"day", "--date=" + tuesday});
  ASSERT_EQ(day.exit_code, 0) << day.err;
  EXPECT_THAT(day.out, HasSubstr("Day sheet for Tuesday " + tuesday));
  EXPECT_THAT(day.out, HasSubstr("Ana Costa (therapists/ana)"));
  EXPECT_THAT(day.out, HasSubstr("Bo Lindgren (therapists/bo)"));
  EXPECT_THAT(
      LineWith(day.out, appointment.name()),
      AllOf(HasSubstr("10:00–11:00"), HasSubstr("Hazel Thornbury"), HasSubstr("cancelled")));
  EXPECT_THAT(LineWith(day.out, "Oskar Lindqvist"),
              AllOf(HasSubstr("11:00–11:45"), HasSubstr("booked")));
  EXPECT_THAT(day.err, IsEmpty());

  // The same day as JSON for scripts.
  const CommandResult day_json = Desk({"day", "--date=" + tuesday, "--json"});
  ASSERT_EQ(day_json.exit_code, 0) << day_json.err;
  EXPECT_THAT(day_json.out, HasSubstr("\"STATE_CANCELLED\""));
}

// The same clinic, with a therapist at the tablet who writes the clients' plans.
class DeskSchedulingSeriesE2eTest : public DeskSchedulingE2eTest {
 protected:
  void SetUp() override {
    therapist_token_file_ = clinic_.AddToken("therapist", "ana", "therapists/ana");
    DeskSchedulingE2eTest::SetUp();
  }

  CommandResult Tablet(std::vector<std::string> args) const {
    args.push_back(absl::StrCat("--target=127.0.0.1:", port_));
    args.push_back("--token_file=" + therapist_token_file_);
    return clinic_.Tablet(args);
  }

  // Assesses `client` from `intake_json`, writes `plan_json` and activates it, all through
  // velknee-tablet; returns the ACTIVE plan's name.
  std::string ActivePlan(const std::string& client, const std::string& tag,
                         const std::string& intake_json, const std::string& plan_json) {
    const auto tablet = [this](std::vector<std::string> args) { return Tablet(std::move(args)); };
    const std::string assessment =
        SubmittedIntakeFromFile(tablet, clinic_.dir(), client, tag, intake_json).name();
    return ActivePlanFromFile(tablet, clinic_.dir(), assessment, tag, plan_json);
  }

  std::string therapist_token_file_;
};

// Issue 6, the named case: the desk books the gardener's plan as six weekly Tuesday 10:00
// sessions with the therapist who offers trigger point therapy, and the office worker's four
// sessions every two weeks with the other therapist; the first Tuesday's day sheet shows both.
TEST_F(DeskSchedulingSeriesE2eTest, GardenerWeeklyAndOfficeWorkerFortnightlySeriesOnTheDaySheet) {
  const CommandResult ana =
      Desk({"therapists", "add", "--therapist_id=ana", "--display_name=Ana Costa",
            "--techniques=trigger_point", "--hours=tue 09:00-17:00"},
           /*admin=*/true);
  ASSERT_EQ(ana.exit_code, 0) << ana.err;
  const CommandResult bo =
      Desk({"therapists", "add", "--therapist_id=bo", "--display_name=Bo Lindgren",
            "--techniques=myofascial_release", "--hours=tue 09:00-17:00"},
           /*admin=*/true);
  ASSERT_EQ(bo.exit_code, 0) << bo.err;

  const std::string hazel = AddClient("Hazel", "Thornbury", "+44 7700 900123");
  const std::string oskar = AddClient("Oskar", "Lindqvist", "020 7946 0958");
  ASSERT_THAT(hazel, StartsWith("clients/"));
  ASSERT_THAT(oskar, StartsWith("clients/"));
  const std::string gardener_plan =
      ActivePlan(hazel, "gardener", test::kGardenerIntakeJson, test::kGardenerPlanJson);
  const std::string office_plan = ActivePlan(oskar, "office-worker", test::kOfficeWorkerIntakeJson,
                                             test::kOfficeWorkerPlanJson);
  ASSERT_THAT(gardener_plan, StartsWith(hazel + "/plans/"));
  ASSERT_THAT(office_plan, StartsWith(oskar + "/plans/"));
  // The gardener's plan is weekly × 6 sessions of 60 minutes, the office worker's every 14 days
  // × 4 of 45 minutes.

  // The desk finds who offers trigger point therapy on that Tuesday: Ana only.
  const absl::CivilDay first = NextTuesdayAfterAWeek(ZoneNamed(kZone));
  const std::string tuesday = DayText(first);
  const CommandResult slots =
      Desk({"slots", "--technique=trigger_point", "--from=" + tuesday, "--days=1"});
  ASSERT_EQ(slots.exit_code, 0) << slots.err;
  EXPECT_THAT(LineWith(slots.out, "therapists/ana"), HasSubstr("10:00"));
  EXPECT_THAT(slots.out, Not(HasSubstr("therapists/bo")));

  // The gardener: six weekly sessions at 10:00 with Ana.
  const CommandResult gardener =
      Desk({"book-series", "--plan=" + gardener_plan, "--therapist=therapists/ana",
            "--start=" + tuesday + " 10:00"});
  ASSERT_EQ(gardener.exit_code, 0) << gardener.err;
  EXPECT_THAT(gardener.out, HasSubstr("Booked 6 sessions of " + gardener_plan));
  for (int week = 0; week < 6; ++week) {
    EXPECT_THAT(LineWith(gardener.out, "Tue " + DayText(first + 7 * week) + " 10:00"),
                AllOf(HasSubstr("60 min"), HasSubstr("therapists/ana")))
        << "week " << week << "\n"
        << gardener.out;
  }
  EXPECT_THAT(LineWith(gardener.out, DayText(first + 7 * 6)), IsEmpty());

  // The same series half an hour later: every session is taken by Hazel's own, each said below
  // the error line, and nothing more is booked.
  const CommandResult again = Desk({"book-series", "--plan=" + gardener_plan,
                                    "--therapist=therapists/ana", "--start=" + tuesday + " 10:30"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(LineCount(again.err), 7) << again.err;
  for (int week = 0; week < 6; ++week) {
    EXPECT_THAT(LineWith(again.err, "  " + DayText(first + 7 * week) + " 10:30 is taken: "),
                HasSubstr(", Hazel Thornbury with Ana Costa, 10:00\xE2\x80\x93"
                          "11:00"))
        << "week " << week << "\n"
        << again.err;
  }

  // The office worker: four sessions every 14 days at 11:00 with Bo.
  const CommandResult office = Desk({"book-series", "--plan=" + office_plan,
                                     "--therapist=therapists/bo", "--start=" + tuesday + " 11:00"});
  ASSERT_EQ(office.exit_code, 0) << office.err;
  EXPECT_THAT(office.out, HasSubstr("Booked 4 sessions of " + office_plan));
  for (int session = 0; session < 4; ++session) {
    EXPECT_THAT(LineWith(office.out, "Tue " + DayText(first + 14 * session) + " 11:00"),
                AllOf(HasSubstr("45 min"), HasSubstr("therapists/bo")))
        << "session " << session << "\n"
        << office.out;
  }
  EXPECT_THAT(LineWith(office.out, DayText(first + 7)), IsEmpty());

  // The first Tuesday's day sheet: one table per therapist with both clients by name.
  const CommandResult day = Desk({"day", "--date=" + tuesday});
  ASSERT_EQ(day.exit_code, 0) << day.err;
  EXPECT_THAT(day.err, IsEmpty());
  EXPECT_THAT(day.out, HasSubstr("Day sheet for Tuesday " + tuesday));
  const size_t ana_table = day.out.find("Ana Costa (therapists/ana)");
  const size_t bo_table = day.out.find("Bo Lindgren (therapists/bo)");
  ASSERT_NE(ana_table, std::string::npos) << day.out;
  ASSERT_NE(bo_table, std::string::npos) << day.out;
  EXPECT_THAT(LineWith(day.out, "Hazel Thornbury"),
              AllOf(HasSubstr("10:00–11:00"), HasSubstr("booked")));
  EXPECT_THAT(LineWith(day.out, "Oskar Lindqvist"),
              AllOf(HasSubstr("11:00–11:45"), HasSubstr("booked")));
  // Each client sits in their own therapist's table.
  const size_t hazel_row = day.out.find("Hazel Thornbury");
  const size_t oskar_row = day.out.find("Oskar Lindqvist");
  const size_t first_table = std::min(ana_table, bo_table);
  const size_t second_table = std::max(ana_table, bo_table);
  const auto table_of = [&](size_t row) {
    return row > second_table ? second_table
                              : (row > first_table ? first_table : std::string::npos);
  };
  EXPECT_EQ(table_of(hazel_row), ana_table) << day.out;
  EXPECT_EQ(table_of(oskar_row), bo_table) << day.out;
}

}  // namespace
}  // namespace velknee
