// The front desk's scheduling, end to end: a real velknee-server process on a loopback port,
// driven only through velknee-desk command lines. An administrator adds two therapists with
// their hours, the desk registers two clients, books, is refused an overlapping booking with
// one SLOT_CONFLICT line, cancels, and reads the day sheet.

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_process.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee {
namespace {

using scheduling::v1::Appointment;
using scheduling::v1::Therapist;
using test::ClinicProcess;
using test::CommandResult;
using test::LineCount;
using test::LineWith;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kZone[] = "Europe/London";

template <typename Message>
Message ParseJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// A Tuesday at least a week ahead in the clinic's zone, as YYYY-MM-DD.
std::string NextTuesdayAfterAWeek() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(kZone, &zone));
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone) + 8;
  while (absl::GetWeekday(day) != absl::Weekday::tuesday) ++day;
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

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
  EXPECT_THAT(ana.out, AllOf(HasSubstr("therapists/ana"), HasSubstr("Ana Costa"),
                             HasSubstr("trigger_point"),
                             HasSubstr("mon-fri 09:00-17:00, sat 09:00-13:00")));
  const CommandResult bo =
      Desk({"therapists", "add", "--therapist_id=bo", "--display_name=Bo Lindgren",
            "--techniques=myofascial_release", "--hours=tue-thu 10:00-18:00", "--json"},
           /*admin=*/true);
  ASSERT_EQ(bo.exit_code, 0) << bo.err;
  EXPECT_EQ(ParseJson<Therapist>(bo.out).working_hours_size(), 3);

  // The front desk may not add therapists; a bad hours text never reaches the server.
  const CommandResult refused = Desk({"therapists", "add", "--display_name=Cy",
                                      "--hours=mon 09:00-17:00"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, StartsWith("error: PERMISSION_DENIED"));
  const CommandResult bad_hours = Desk(
      {"therapists", "add", "--display_name=Cy", "--hours=mon 17:00-09:00"}, /*admin=*/true);
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

  const std::string tuesday = NextTuesdayAfterAWeek();
  const CommandResult slots =
      Desk({"slots", "--technique=trigger_point", "--from=" + tuesday, "--days=1"});
  ASSERT_EQ(slots.exit_code, 0) << slots.err;
  EXPECT_THAT(LineWith(slots.out, "therapists/ana"), AllOf(HasSubstr("09:00"), HasSubstr("10:00")));

  // A single booking at 10:00 local time.
  const CommandResult booked =
      Desk({"book", "--client=" + hazel, "--therapist=therapists/ana",
            "--start=" + tuesday + " 10:00", "--duration=60", "--json"});
  ASSERT_EQ(booked.exit_code, 0) << booked.err;
  const Appointment appointment = ParseJson<Appointment>(booked.out);
  EXPECT_EQ(appointment.state(), Appointment::STATE_BOOKED);

  // An overlapping booking with the same therapist: one SLOT_CONFLICT line naming the booking.
  const CommandResult conflict = Desk({"book", "--client=" + oskar, "--therapist=therapists/ana",
                                       "--start=" + tuesday + " 10:30"});
  EXPECT_EQ(conflict.exit_code, 1);
  EXPECT_EQ(LineCount(conflict.err), 1) << conflict.err;
  EXPECT_THAT(conflict.err, AllOf(StartsWith("error: FAILED_PRECONDITION"),
                                  HasSubstr(appointment.name())));

  // Oskar goes to Bo instead; then Hazel's appointment is cancelled.
  const CommandResult with_bo = Desk({"book", "--client=" + oskar, "--therapist=therapists/bo",
                                      "--start=" + tuesday + " 11:00", "--duration=45"});
  ASSERT_EQ(with_bo.exit_code, 0) << with_bo.err;
  EXPECT_THAT(with_bo.out, HasSubstr(tuesday + " 11:00"));
  const CommandResult cancelled =
      Desk({"cancel", appointment.name(), "--reason=client ill"});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_THAT(cancelled.out, AllOf(HasSubstr("cancelled"), HasSubstr("client ill")));

  // The day sheet: one table per therapist, local times, client names and states.
  const CommandResult day = Desk({"day", "--date=" + tuesday});
  ASSERT_EQ(day.exit_code, 0) << day.err;
  EXPECT_THAT(day.out, HasSubstr("Day sheet for Tuesday " + tuesday));
  EXPECT_THAT(day.out, HasSubstr("Ana Costa (therapists/ana)"));
  EXPECT_THAT(day.out, HasSubstr("Bo Lindgren (therapists/bo)"));
  EXPECT_THAT(LineWith(day.out, appointment.name()),
              AllOf(HasSubstr("10:00–11:00"), HasSubstr("Hazel Thornbury"), HasSubstr("cancelled")));
  EXPECT_THAT(LineWith(day.out, "Oskar Lindqvist"),
              AllOf(HasSubstr("11:00–11:45"), HasSubstr("booked")));
  EXPECT_THAT(day.err, IsEmpty());

  // The same day as JSON for scripts.
  const CommandResult day_json = Desk({"day", "--date=" + tuesday, "--json"});
  ASSERT_EQ(day_json.exit_code, 0) << day_json.err;
  EXPECT_THAT(day_json.out, HasSubstr("\"STATE_CANCELLED\""));
}

}  // namespace
}  // namespace velknee
