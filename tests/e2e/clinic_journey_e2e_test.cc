// The whole clinic journey (issue 7) in both topologies, driven only through the velknee-desk
// and velknee-tablet command lines and `velknee-server audit verify`, with the clinic in
// Europe/London. The people are invented.
//
// All-in-one: one velknee-server process on a loopback port. One process per service: intake,
// plans, scheduling and notes started by deploy/launch_multiprocess.sh with mutual TLS between
// everything; the plans process is killed in the middle, the calls that need it fail naming it
// and leave nothing behind, and the same launcher command restarts it before the journey goes on.
//
// The journey: an administrator adds two therapists with their hours; the desk registers the
// gardener and the office worker; the therapist takes both intakes; the office worker's deep
// tissue plan is refused and the corrected one activates, as does the gardener's; the desk books
// both series. Notes need past session times and only a CHECKED_IN appointment is completed by
// signing, so the desk also books the gardener one appointment today (or in a few minutes), the
// therapist checks her in, documents the session against it and signs; the day sheet shows it
// completed. Two earlier, past-dated sessions are signed too and one gets an addendum; the
// progress shows the numbers and the goal met; the front desk cannot read a note; the audit
// chains verify after the clinic stops, and fail naming the database and row once a row is
// edited by hand.

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_people.h"
#include "tests/e2e/clinic_process.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/notes/v1/session_note.pb.h"
#include "velknee/scheduling/v1/appointment.pb.h"

namespace velknee {
namespace {

using notes::v1::SessionNote;
using scheduling::v1::Appointment;
using test::ActivePlanFromFile;
using test::ClinicProcess;
using test::CommandResult;
using test::DayText;
using test::LineWith;
using test::MultiProcessClinic;
using test::NextTuesdayAfterAWeek;
using test::ParseJson;
using test::SubmittedIntakeFromFile;
using test::WriteFile;
using test::ZoneNamed;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kZone[] = "Europe/London";

// The journey's steps, whatever the topology. A subclass starts the clinic in SetUp (then calls
// AddPeople) and says how the clients reach it and where its databases are. Each step ASSERTs,
// so a test body wraps it in ASSERT_NO_FATAL_FAILURE.
class ClinicJourneyTest : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("VELKNEE_TOKEN"); }

  // The reference clients' connection flags (targets, TLS files).
  virtual std::vector<std::string> ClientFlags() const = 0;
  // A token file for `principal`; see ClinicProcess::AddToken.
  virtual std::string AddToken(absl::string_view role, absl::string_view principal,
                               absl::string_view therapist = "") = 0;
  // Stops every server process cleanly (ASSERTs the clean exit).
  virtual void StopClinic() = 0;
  // The directories holding the databases, for `audit verify`.
  virtual std::vector<std::string> DataDirs() const = 0;
  // The notes database, to edit by hand.
  virtual std::string NotesDatabase() const = 0;
  // A scratch directory for the JSON files the tablet reads.
  virtual const test::TempDir& dir() const = 0;

  void AddPeople() {
    admin_token_file_ = AddToken("admin", "admin-journey");
    desk_token_file_ = AddToken("front_desk", "desk-journey");
    ana_token_file_ = AddToken("therapist", "ana", "therapists/ana");
  }

  // `velknee-desk args...` as the holder of `token_file` (the front desk by default).
  CommandResult Desk(std::vector<std::string> args, const std::string& token_file = "") const {
    const std::vector<std::string> flags = ClientFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("--token_file=" + (token_file.empty() ? desk_token_file_ : token_file));
    if (args[0] != "clients" && args[0] != "therapists") {
      args.push_back(absl::StrCat("--time_zone=", kZone));
    }
    return test::RunDesk(args);
  }

  // `velknee-tablet args...` as ana (or the holder of `token_file`).
  CommandResult Tablet(std::vector<std::string> args, const std::string& token_file = "") const {
    const std::vector<std::string> flags = ClientFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("--token_file=" + (token_file.empty() ? ana_token_file_ : token_file));
    return test::RunTablet(args);
  }

  std::string AddClient(const std::string& given, const std::string& family,
                        const std::string& phone) const {
    const CommandResult added = Desk({"clients", "add", "--given_name=" + given,
                                      "--family_name=" + family, "--phone=" + phone, "--json"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return ParseJson<intake::v1::Client>(added.out).name();
  }

  // The therapist's intake from a file, submitted; returns the assessment's name.
  std::string Intake(const std::string& client, const std::string& tag, const std::string& json) {
    const intake::v1::Assessment assessment = SubmittedIntakeFromFile(
        [this](std::vector<std::string> args) { return Tablet(std::move(args)); }, dir(), client,
        tag, json);
    EXPECT_EQ(assessment.state(), intake::v1::Assessment::STATE_SUBMITTED);
    EXPECT_EQ(assessment.therapist(), "therapists/ana");
    return assessment.name();
  }

  // Creates a note under `plan` (linked to `appointment` when given) and signs it; returns it.
  SessionNote SignedNote(const std::string& plan, const std::string& tag, const std::string& json,
                         const std::string& appointment = "") {
    std::vector<std::string> args = {"note", "new", "--plan=" + plan, "--json",
                                     "--from_file=" + WriteFile(dir(), tag + "-note.json", json)};
    if (!appointment.empty()) args.push_back("--appointment=" + appointment);
    const CommandResult created = Tablet(args);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    const SessionNote draft = ParseJson<SessionNote>(created.out);
    EXPECT_EQ(draft.state(), SessionNote::STATE_DRAFT);
    const CommandResult signed_note =
        Tablet({"note", "sign", draft.name(), "--etag=" + draft.etag()});
    EXPECT_EQ(signed_note.exit_code, 0) << signed_note.err;
    EXPECT_THAT(LineWith(signed_note.out, "Signed by:"), HasSubstr("therapists/ana"));
    return draft;
  }

  // `velknee-server audit verify` over every data directory: the outputs one after another,
  // exit code 0 only when every run exited 0.
  CommandResult AuditVerify() const {
    CommandResult all{0, "", ""};
    for (const std::string& data_dir : DataDirs()) {
      const CommandResult one =
          test::RunCommand({test::ServerBinary(), "audit", "verify", "--data_dir=" + data_dir}, {},
                           "", absl::Seconds(30));
      if (one.exit_code != 0) all.exit_code = one.exit_code;
      absl::StrAppend(&all.out, one.out);
      absl::StrAppend(&all.err, one.err);
    }
    return all;
  }

  // The administrator adds two therapists. Ana works every day round the clock here so that a
  // session "now" is always within her hours.
  void AddTherapists() {
    const CommandResult ana =
        Desk({"therapists", "add", "--therapist_id=ana", "--display_name=Ana Costa",
              "--techniques=trigger_point", "--hours=mon-sun 00:00-24:00"},
             admin_token_file_);
    ASSERT_EQ(ana.exit_code, 0) << ana.err;
    EXPECT_THAT(ana.out, AllOf(HasSubstr("therapists/ana"), HasSubstr("trigger_point")));
    const CommandResult bo =
        Desk({"therapists", "add", "--therapist_id=bo", "--display_name=Bo Lindgren",
              "--techniques=myofascial_release", "--hours=tue-thu 09:00-17:00"},
             admin_token_file_);
    ASSERT_EQ(bo.exit_code, 0) << bo.err;
    EXPECT_THAT(bo.out, AllOf(HasSubstr("therapists/bo"), HasSubstr("myofascial_release")));
  }

  // The desk registers the gardener and the office worker; the therapist takes both intakes.
  void RegisterAndTakeIntakes() {
    hazel_ = AddClient("Hazel", "Thornbury", "+44 7700 900123");
    oskar_ = AddClient("Oskar", "Lindqvist", "020 7946 0958");
    ASSERT_THAT(hazel_, StartsWith("clients/"));
    ASSERT_THAT(oskar_, StartsWith("clients/"));
    hazel_assessment_ = Intake(hazel_, "gardener", test::kGardenerIntakeJson);
    oskar_assessment_ = Intake(oskar_, "office-worker", test::kOfficeWorkerIntakeJson);
    ASSERT_THAT(hazel_assessment_, StartsWith(hazel_ + "/assessments/"));
    ASSERT_THAT(oskar_assessment_, StartsWith(oskar_ + "/assessments/"));
  }

  // The office worker's deep tissue plan is refused, naming the blood thinners of the intake, and
  // nothing is stored; the corrected plan activates, and so does the gardener's.
  void WritePlans() {
    const CommandResult refused = Tablet(
        {"plan", "new", "--assessment=" + oskar_assessment_,
         "--from_file=" + WriteFile(dir(), "deep.json", test::kOfficeWorkerDeepTissuePlanJson)});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_THAT(refused.out, IsEmpty());
    EXPECT_THAT(refused.err, StartsWith("error: FAILED_PRECONDITION: the plan breaks the "
                                        "client's screening restrictions\n"));
    EXPECT_THAT(LineWith(refused.err, "No deep tissue anywhere"),
                HasSubstr("client takes blood thinners"));
    const CommandResult none = Tablet({"plan", "list", "--client=" + oskar_});
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_THAT(none.out, HasSubstr("No plans found."));

    const auto tablet = [this](std::vector<std::string> args) { return Tablet(std::move(args)); };
    oskar_plan_ = ActivePlanFromFile(tablet, dir(), oskar_assessment_, "office-worker",
                                     test::kOfficeWorkerPlanJson);
    hazel_plan_ =
        ActivePlanFromFile(tablet, dir(), hazel_assessment_, "gardener", test::kGardenerPlanJson);
    ASSERT_THAT(oskar_plan_, StartsWith(oskar_ + "/plans/"));
    ASSERT_THAT(hazel_plan_, StartsWith(hazel_ + "/plans/"));
  }

  // The desk books both series from a Tuesday at least a week ahead: the gardener's plan is
  // weekly × 6 sessions of 60 minutes, the office worker's every 14 days × 4 of 45 minutes.
  void BookSeries() {
    const absl::CivilDay first = NextTuesdayAfterAWeek(ZoneNamed(kZone));
    const std::string tuesday = DayText(first);
    const CommandResult gardener_series =
        Desk({"book-series", "--plan=" + hazel_plan_, "--therapist=therapists/ana",
              "--start=" + tuesday + " 10:00"});
    ASSERT_EQ(gardener_series.exit_code, 0) << gardener_series.err;
    EXPECT_THAT(gardener_series.out, HasSubstr("Booked 6 sessions of " + hazel_plan_));
    EXPECT_THAT(LineWith(gardener_series.out, "Tue " + DayText(first + 35) + " 10:00"),
                AllOf(HasSubstr("60 min"), HasSubstr("therapists/ana")));
    const CommandResult office_series =
        Desk({"book-series", "--plan=" + oskar_plan_, "--therapist=therapists/bo",
              "--start=" + tuesday + " 11:00"});
    ASSERT_EQ(office_series.exit_code, 0) << office_series.err;
    EXPECT_THAT(office_series.out, HasSubstr("Booked 4 sessions of " + oskar_plan_));
    EXPECT_THAT(LineWith(office_series.out, "Tue " + DayText(first + 42) + " 11:00"),
                AllOf(HasSubstr("45 min"), HasSubstr("therapists/bo")));
    const CommandResult series_day = Desk({"day", "--date=" + tuesday});
    ASSERT_EQ(series_day.exit_code, 0) << series_day.err;
    EXPECT_THAT(LineWith(series_day.out, "Hazel Thornbury"),
                AllOf(HasSubstr("10:00–11:00"), HasSubstr("booked")));
    EXPECT_THAT(LineWith(series_day.out, "Oskar Lindqvist"),
                AllOf(HasSubstr("11:00–11:45"), HasSubstr("booked")));
  }

  // Today's session for the gardener, checked in, documented and signed, after two earlier
  // sessions; the day sheet shows today's appointment completed.
  void SessionsAndNotes() {
    // The desk books the current minute (a booking may be entered a few minutes late) for 15
    // minutes; near midnight, the first slot of tomorrow so that it does not cross into the next
    // day.
    const absl::TimeZone zone = ZoneNamed(kZone);
    absl::CivilMinute start = absl::ToCivilMinute(absl::Now(), zone);
    if (start.hour() == 23 && start.minute() > 44) {
      start = absl::CivilMinute(absl::CivilDay(start) + 1);
    }
    const std::string today_date = DayText(absl::CivilDay(start));
    const std::string today_start =
        absl::StrFormat("%s %02d:%02d", today_date, start.hour(), start.minute());
    const CommandResult booked = Desk({"book", "--client=" + hazel_, "--therapist=therapists/ana",
                                       "--start=" + today_start, "--duration=15", "--json"});
    ASSERT_EQ(booked.exit_code, 0) << booked.err;
    const Appointment today = ParseJson<Appointment>(booked.out);
    ASSERT_EQ(today.state(), Appointment::STATE_BOOKED);

    // The therapist checks her in.
    const CommandResult checked_in = Desk({"checkin", today.name()}, ana_token_file_);
    ASSERT_EQ(checked_in.exit_code, 0) << checked_in.err;
    EXPECT_THAT(checked_in.out, HasSubstr("checked in"));

    // Two earlier sessions, signed without appointments (10:00 UTC, 14 and 7 days ago), then
    // today's, documented against the appointment and signed: pain before 6, 4, 2.
    first_note_ =
        SignedNote(hazel_plan_, "first", test::GardenerSessionJson(test::TenUtcDaysAgo(14), 6, 4));
    second_note_ =
        SignedNote(hazel_plan_, "second", test::GardenerSessionJson(test::TenUtcDaysAgo(7), 4, 3));
    const SessionNote today_note =
        SignedNote(hazel_plan_, "today",
                   test::GardenerSessionJson(absl::Now() - absl::Minutes(2), 2, 1), today.name());
    ASSERT_FALSE(HasFailure());

    const CommandResult today_shown = Tablet({"note", "show", today_note.name(), "--json"});
    ASSERT_EQ(today_shown.exit_code, 0) << today_shown.err;
    const SessionNote today_signed = ParseJson<SessionNote>(today_shown.out);
    EXPECT_EQ(today_signed.state(), SessionNote::STATE_SIGNED);
    EXPECT_EQ(today_signed.appointment(), today.name());

    // Signing completed the appointment: the desk's day sheet shows it.
    const CommandResult day = Desk({"day", "--date=" + today_date});
    ASSERT_EQ(day.exit_code, 0) << day.err;
    EXPECT_THAT(day.out, HasSubstr("Ana Costa (therapists/ana)"));
    EXPECT_THAT(LineWith(day.out, today.name()),
                AllOf(HasSubstr("Hazel Thornbury"), HasSubstr("completed")))
        << day.out;
  }

  // An addendum; the gardener's progress with her goal met; the front desk kept out of a note.
  void AddendumProgressAndPrivacy() {
    const CommandResult amended = Tablet(
        {"note", "addendum", second_note_.name(), "--text=Client called: soreness gone next day"});
    ASSERT_EQ(amended.exit_code, 0) << amended.err;
    EXPECT_THAT(LineWith(amended.out, "Addendum 1:"),
                AllOf(HasSubstr("therapists/ana"), HasSubstr("soreness gone next day")));

    // 3 of 6 signed, pain before 6 → 2 (change −4), mean relief (2 + 1 + 1) / 3 = 1.33, the
    // plan's goal "Kneel in the garden for an hour" at pain ≤ 2 met.
    const CommandResult progress =
        Tablet({"progress", "--plan=" + hazel_plan_, absl::StrCat("--time_zone=", kZone)});
    ASSERT_EQ(progress.exit_code, 0) << progress.err;
    EXPECT_THAT(progress.err, IsEmpty());
    EXPECT_THAT(progress.out, AllOf(HasSubstr("3 of 6 signed"), HasSubstr("change -4"),
                                    HasSubstr("Mean relief:     1.33")))
        << progress.out;
    EXPECT_THAT(LineWith(progress.out, "Kneel in the garden"), HasSubstr("[met]")) << progress.out;

    const CommandResult by_desk = Tablet({"note", "show", first_note_.name()}, desk_token_file_);
    EXPECT_EQ(by_desk.exit_code, 1);
    EXPECT_THAT(by_desk.err, StartsWith("error: PERMISSION_DENIED"));
    // The note's response (GardenerSessionJson).
    EXPECT_THAT(by_desk.out + by_desk.err, Not(HasSubstr("Quadriceps softer")));
  }

  // The clinic stops cleanly; every audit chain verifies, until someone edits a row of the notes
  // database by hand: then verify names the database and the row.
  void StopAndVerifyAudit() {
    ASSERT_NO_FATAL_FAILURE(StopClinic());
    const CommandResult intact = AuditVerify();
    EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;
    for (const char* database : {"intake.db", "plans.db", "notes.db", "scheduling.db"}) {
      EXPECT_THAT(LineWith(intact.out, database), HasSubstr("intact")) << intact.out;
    }
    EXPECT_THAT(intact.out, Not(HasSubstr("FAILED")));

    {
      SQLite::Database db(NotesDatabase(), SQLite::OPEN_READWRITE);
      db.exec("DROP TRIGGER audit_log_no_update");
      EXPECT_EQ(db.exec("UPDATE audit_log SET principal = 'mallory' WHERE seq = 2"), 1);
    }
    const CommandResult tampered = AuditVerify();
    EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
    EXPECT_THAT(LineWith(tampered.out, "notes.db"),
                AllOf(HasSubstr("FAILED"), HasSubstr("audit row 2 was changed")))
        << tampered.out;
    EXPECT_THAT(LineWith(tampered.out, "scheduling.db"), HasSubstr("intact")) << tampered.out;
  }

  std::string admin_token_file_;
  std::string desk_token_file_;
  std::string ana_token_file_;
  std::string hazel_, oskar_;
  std::string hazel_assessment_, oskar_assessment_;
  std::string hazel_plan_, oskar_plan_;
  SessionNote first_note_, second_note_;
};

class AllInOneJourneyTest : public ClinicJourneyTest {
 protected:
  void SetUp() override {
    ClinicJourneyTest::SetUp();
    AddPeople();
    port_ = clinic_.Start({absl::StrCat("--clinic_time_zone=", kZone)});
    ASSERT_NE(port_, 0) << clinic_.ServerLog();
  }

  std::vector<std::string> ClientFlags() const override {
    return {absl::StrCat("--target=127.0.0.1:", port_)};
  }
  std::string AddToken(absl::string_view role, absl::string_view principal,
                       absl::string_view therapist) override {
    return clinic_.AddToken(role, principal, therapist);
  }
  void StopClinic() override { ASSERT_EQ(clinic_.Stop(), 0) << clinic_.ServerLog(); }
  std::vector<std::string> DataDirs() const override { return {clinic_.dir().File("data")}; }
  std::string NotesDatabase() const override { return clinic_.dir().File("data/notes.db"); }
  const test::TempDir& dir() const override { return clinic_.dir(); }

  ClinicProcess clinic_;
  int port_ = 0;
};

TEST_F(AllInOneJourneyTest, FromTherapistsToAVerifiedAuditLog) {
  ASSERT_NO_FATAL_FAILURE(AddTherapists());
  ASSERT_NO_FATAL_FAILURE(RegisterAndTakeIntakes());
  ASSERT_NO_FATAL_FAILURE(WritePlans());
  ASSERT_NO_FATAL_FAILURE(BookSeries());
  ASSERT_NO_FATAL_FAILURE(SessionsAndNotes());
  ASSERT_NO_FATAL_FAILURE(AddendumProgressAndPrivacy());
  ASSERT_NO_FATAL_FAILURE(StopAndVerifyAudit());
}

class MultiProcessJourneyTest : public ClinicJourneyTest {
 protected:
  void SetUp() override {
    ClinicJourneyTest::SetUp();
    // The first start makes the shared tokens file; the people's tokens are added to it and the
    // services restarted so that each reads them at once.
    ASSERT_NO_FATAL_FAILURE(Start());
    AddPeople();
    const CommandResult stopped = clinic_.Stop();
    ASSERT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
    ASSERT_NO_FATAL_FAILURE(Start());
  }

  void Start() {
    const CommandResult started = clinic_.Start({absl::StrCat("--clinic_time_zone=", kZone)});
    ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
  }

  std::vector<std::string> ClientFlags() const override { return clinic_.ClientFlags(); }
  std::string AddToken(absl::string_view role, absl::string_view principal,
                       absl::string_view therapist) override {
    return clinic_.AddToken(role, principal, therapist);
  }
  void StopClinic() override {
    const CommandResult stopped = clinic_.Stop();
    ASSERT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
    for (const char* service : MultiProcessClinic::kServices) {
      EXPECT_THAT(stopped.out, HasSubstr(absl::StrCat(service, " stopped")));
    }
  }
  std::vector<std::string> DataDirs() const override {
    std::vector<std::string> dirs;
    for (const char* service : MultiProcessClinic::kServices) {
      dirs.push_back(clinic_.DataDir(service));
    }
    return dirs;
  }
  std::string NotesDatabase() const override { return clinic_.DataDir("notes") + "/notes.db"; }
  const test::TempDir& dir() const override { return clinic_.dir(); }

  MultiProcessClinic clinic_;
};

TEST_F(MultiProcessJourneyTest, OverMutualTlsSurvivingACrashOfThePlansService) {
  ASSERT_NO_FATAL_FAILURE(AddTherapists());
  ASSERT_NO_FATAL_FAILURE(RegisterAndTakeIntakes());
  ASSERT_NO_FATAL_FAILURE(WritePlans());

  // The plans process dies.
  ASSERT_TRUE(clinic_.Kill("plans"));
  const std::string plans_address = absl::StrCat("127.0.0.1:", clinic_.Port("plans"));

  // The tablet's own call names the service, its address and the flag that set it.
  const CommandResult shown = Tablet({"plan", "show", hazel_plan_});
  EXPECT_EQ(shown.exit_code, 1);
  EXPECT_THAT(shown.err,
              StartsWith(absl::StrCat("error: UNAVAILABLE: the plans service at ", plans_address,
                                      " (--plans_target) is unavailable")));
  // Booking the series needs the plan's cadence: scheduling names the plans service, and books
  // nothing.
  const absl::CivilDay first = NextTuesdayAfterAWeek(ZoneNamed(kZone));
  const CommandResult series =
      Desk({"book-series", "--plan=" + hazel_plan_, "--therapist=therapists/ana",
            "--start=" + DayText(first) + " 10:00"});
  EXPECT_EQ(series.exit_code, 1);
  EXPECT_THAT(series.err, StartsWith("error: UNAVAILABLE: plans service is unavailable"));
  const CommandResult empty_day = Desk({"day", "--date=" + DayText(first)});
  ASSERT_EQ(empty_day.exit_code, 0) << empty_day.err;
  EXPECT_THAT(empty_day.out, HasSubstr("No appointments."));
  // A note needs its plan: the notes service names the plans service, and writes nothing.
  const CommandResult note = Tablet(
      {"note", "new", "--plan=" + hazel_plan_,
       "--from_file=" + WriteFile(dir(), "lost-note.json",
                                  test::GardenerSessionJson(absl::Now() - absl::Hours(1), 5, 3))});
  EXPECT_EQ(note.exit_code, 1);
  EXPECT_THAT(note.err, StartsWith("error: UNAVAILABLE: plans service is unavailable"));
  const CommandResult no_notes = Tablet({"note", "list", "--plan=" + hazel_plan_});
  ASSERT_EQ(no_notes.exit_code, 0) << no_notes.err;
  EXPECT_THAT(no_notes.out, HasSubstr("No notes found."));
  // What does not need plans goes on.
  const CommandResult found = Desk({"clients", "find", "--query=Thornbury"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr(hazel_));

  // The same launcher command restarts only the plans service; the journey completes.
  const CommandResult restarted = clinic_.Start({absl::StrCat("--clinic_time_zone=", kZone)});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;
  for (const char* untouched : {"intake", "scheduling", "notes"}) {
    EXPECT_THAT(restarted.out, HasSubstr(absl::StrCat(untouched, " already running")));
  }
  EXPECT_THAT(restarted.out, HasSubstr("plans listening on"));
  const CommandResult back = Tablet({"plan", "show", hazel_plan_});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_THAT(back.out, HasSubstr("active"));

  ASSERT_NO_FATAL_FAILURE(BookSeries());
  ASSERT_NO_FATAL_FAILURE(SessionsAndNotes());
  ASSERT_NO_FATAL_FAILURE(AddendumProgressAndPrivacy());
  ASSERT_NO_FATAL_FAILURE(StopAndVerifyAudit());
}

}  // namespace
}  // namespace velknee
