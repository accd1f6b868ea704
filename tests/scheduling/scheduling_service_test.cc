// SchedulingService through real stubs: intake, plans, notes and scheduling in one process on
// loopback, scheduling reading clients and plans (and notes completing appointments) through
// the in-process channel. Every booking is in the future: days are computed from the clock.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/client/channel.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"
#include "tests/harness/audit_rows.h"
#include "tests/harness/clinic_records.h"
#include "tests/harness/clinic_server.h"
#include "tests/harness/role_matrix.h"
#include "tests/support/proto_builders.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

namespace velknee::scheduling {
namespace {

using test::ClinicServer;
using test::ErrorReason;
using test::IsOk;
using test::PreconditionDescriptions;
using test::PreconditionSubjects;
using test::SlotConflicts;
using test::StatusIs;
using test::ViolatedFields;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::UnorderedElementsAre;
using v1::Appointment;
using v1::Therapist;

constexpr absl::string_view kAbsentClient = "clients/aaaaaaaaaaaaaaaaaaaaaaaa";
constexpr absl::string_view kAbsentAppointment = "appointments/dddddddddddddddddddddddd";
constexpr absl::string_view kMethodPrefix = "/velknee.scheduling.v1.SchedulingService/";

// --- Time ---------------------------------------------------------------------------------------

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

// The first `weekday` at least `min_days_ahead` days after today in `zone` (bounded: 7 steps).
absl::CivilDay Next(absl::Weekday weekday, absl::TimeZone zone = absl::UTCTimeZone(),
                    int min_days_ahead = 1) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone) + min_days_ahead;
  for (int i = 0; i < 7 && absl::GetWeekday(day) != weekday; ++i) ++day;
  return day;
}

// `hour`:`minute` wall-clock time on `day` in `zone`.
absl::Time At(absl::CivilDay day, int hour, int minute = 0,
              absl::TimeZone zone = absl::UTCTimeZone()) {
  return absl::FromCivil(absl::CivilMinute(day) + hour * 60 + minute, zone);
}

// --- Builders -----------------------------------------------------------------------------------

google::type::TimeOfDay Clock(int hours, int minutes, int seconds = 0) {
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

// Monday to Sunday, `start_hour`:00 to `end_hour`:00.
std::vector<v1::WorkingHours> EveryDay(int start_hour, int end_hour) {
  std::vector<v1::WorkingHours> hours;
  for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
    hours.push_back(Hours(static_cast<google::type::DayOfWeek>(day), Clock(start_hour, 0),
                          end_hour == 24 ? Clock(24, 0) : Clock(end_hour, 0)));
  }
  return hours;
}

Therapist TherapistOf(const std::string& display_name,
                      const std::vector<common::v1::Technique>& techniques,
                      const std::vector<v1::WorkingHours>& hours) {
  Therapist therapist;
  therapist.set_display_name(display_name);
  for (common::v1::Technique technique : techniques) therapist.add_techniques(technique);
  for (const v1::WorkingHours& interval : hours) *therapist.add_working_hours() = interval;
  return therapist;
}

Appointment Slot(const std::string& client, const std::string& therapist, absl::Time start,
                 int minutes, const std::string& plan = "") {
  Appointment appointment;
  appointment.set_client(client);
  appointment.set_therapist(therapist);
  appointment.set_plan(plan);
  *appointment.mutable_start_time() = TimestampOf(start);
  appointment.set_duration_minutes(minutes);
  return appointment;
}

// A plan of `technique` on both anterior knees, `sessions` sessions of `minutes` every
// `interval_days`.
plans::v1::TreatmentPlan KneePlan(common::v1::Technique technique, int interval_days, int sessions,
                                  int minutes) {
  plans::v1::TreatmentPlan plan;
  plan.add_goals()->set_description("Pain at most 2 in daily activity");
  plans::v1::PlannedTechnique& planned = *plan.add_techniques();
  planned.set_technique(technique);
  *planned.add_regions() =
      test::Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_BILATERAL);
  planned.set_pressure(common::v1::PRESSURE_FIRM);
  planned.set_minutes(15);
  plan.mutable_cadence()->set_interval_days(interval_days);
  plan.mutable_cadence()->set_planned_sessions(sessions);
  plan.mutable_cadence()->set_session_minutes(minutes);
  return plan;
}

// --- Fixture ------------------------------------------------------------------------------------

class SchedulingServiceTest : public ::testing::Test {
 protected:
  explicit SchedulingServiceTest(absl::TimeZone zone = absl::UTCTimeZone())
      : server_("intake,plans,notes,scheduling", {}, zone),
        zone_(zone),
        intake_(intake::v1::IntakeService::NewStub(server_.channel())),
        plans_(plans::v1::TreatmentPlanService::NewStub(server_.channel())),
        notes_(notes::v1::SessionNoteService::NewStub(server_.channel())),
        stub_(v1::SchedulingService::NewStub(server_.channel())) {}

  // Registers a client at the front desk; returns its name.
  std::string NewClient(const std::string& given, const std::string& family) {
    intake::v1::CreateClientRequest request;
    request.mutable_client()->set_given_name(given);
    request.mutable_client()->set_family_name(family);
    request.mutable_client()->set_phone("0161 496 0555");
    intake::v1::Client client;
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    EXPECT_THAT(intake_->CreateClient(&context, request, &client), IsOk());
    return client.name();
  }

  void ArchiveClient(const std::string& name) {
    intake::v1::ArchiveClientRequest request;
    request.set_name(name);
    intake::v1::Client out;
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    EXPECT_THAT(intake_->ArchiveClient(&context, request, &out), IsOk());
  }

  grpc::Status CreateTherapist(const std::string& id, const Therapist& therapist, Therapist* out,
                               const std::string& request_id = "") {
    v1::CreateTherapistRequest request;
    request.set_therapist_id(id);
    *request.mutable_therapist() = therapist;
    request.set_request_id(request_id);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kAdmin);
    return stub_->CreateTherapist(&context, request, out);
  }

  // Creates therapist `id` working `hours` (default: every day 09:00-17:00); returns its name.
  std::string NewTherapist(const std::string& id, const std::string& display_name,
                           std::vector<v1::WorkingHours> hours = EveryDay(9, 17),
                           const std::vector<common::v1::Technique>& techniques = {
                               common::v1::TECHNIQUE_TRIGGER_POINT}) {
    Therapist created;
    EXPECT_THAT(CreateTherapist(id, TherapistOf(display_name, techniques, hours), &created),
                IsOk());
    return created.name();
  }

  grpc::Status UpdateTherapist(const Therapist& patch, const std::vector<std::string>& paths,
                               Therapist* out) {
    v1::UpdateTherapistRequest request;
    *request.mutable_therapist() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kAdmin);
    return stub_->UpdateTherapist(&context, request, out);
  }

  void Deactivate(const std::string& therapist) {
    Therapist patch;
    patch.set_name(therapist);
    patch.set_active(false);
    Therapist out;
    EXPECT_THAT(UpdateTherapist(patch, {"active"}, &out), IsOk());
  }

  grpc::Status GetTherapist(const std::string& name, Therapist* out, Role role = Role::kFrontDesk) {
    v1::GetTherapistRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    server_.Prepare(context, role);
    return stub_->GetTherapist(&context, request, out);
  }

  grpc::Status ListTherapists(const v1::ListTherapistsRequest& request,
                              v1::ListTherapistsResponse* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    return stub_->ListTherapists(&context, request, out);
  }

  grpc::Status Book(const Appointment& appointment, Appointment* out,
                    const std::string& request_id = "") {
    v1::BookAppointmentRequest request;
    *request.mutable_appointment() = appointment;
    request.set_request_id(request_id);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    return stub_->BookAppointment(&context, request, out);
  }

  Appointment MustBook(const Appointment& appointment) {
    Appointment out;
    EXPECT_THAT(Book(appointment, &out), IsOk());
    return out;
  }

  grpc::Status GetAppointment(const std::string& name, Appointment* out,
                              Role role = Role::kFrontDesk) {
    v1::GetAppointmentRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    server_.Prepare(context, role);
    return stub_->GetAppointment(&context, request, out);
  }

  Appointment MustGet(const std::string& name) {
    Appointment out;
    EXPECT_THAT(GetAppointment(name, &out), IsOk());
    return out;
  }

  grpc::Status Reschedule(const std::string& name, absl::Time start, int minutes, Appointment* out,
                          const std::string& etag = "") {
    v1::RescheduleAppointmentRequest request;
    request.set_name(name);
    *request.mutable_start_time() = TimestampOf(start);
    request.set_duration_minutes(minutes);
    request.set_etag(etag);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    return stub_->RescheduleAppointment(&context, request, out);
  }

  grpc::Status Cancel(const std::string& name, const std::string& reason, Appointment* out,
                      const std::string& etag = "") {
    v1::CancelAppointmentRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    return stub_->CancelAppointment(&context, request, out);
  }

  grpc::Status CheckIn(const std::string& name, Appointment* out, const std::string& etag = "",
                       Role role = Role::kFrontDesk) {
    v1::CheckInAppointmentRequest request;
    request.set_name(name);
    request.set_etag(etag);
    grpc::ClientContext context;
    server_.Prepare(context, role);
    return stub_->CheckInAppointment(&context, request, out);
  }

  grpc::Status NoShow(const std::string& name, Appointment* out, const std::string& etag = "") {
    v1::MarkNoShowRequest request;
    request.set_name(name);
    request.set_etag(etag);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    return stub_->MarkNoShow(&context, request, out);
  }

  grpc::Status Complete(const std::string& name, Appointment* out, Role role = Role::kTherapist) {
    v1::CompleteAppointmentRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    server_.Prepare(context, role);
    return stub_->CompleteAppointment(&context, request, out);
  }

  grpc::Status List(const v1::ListAppointmentsRequest& request, v1::ListAppointmentsResponse* out,
                    Role role = Role::kFrontDesk) {
    grpc::ClientContext context;
    server_.Prepare(context, role);
    return stub_->ListAppointments(&context, request, out);
  }

  // Every page of `request` with `page_size`, names in order (bounded: 100 pages).
  std::vector<std::string> ListAll(v1::ListAppointmentsRequest request, int page_size) {
    std::vector<std::string> names;
    request.set_page_size(page_size);
    for (int page = 0; page < 100; ++page) {
      v1::ListAppointmentsResponse response;
      EXPECT_THAT(List(request, &response), IsOk());
      EXPECT_LE(response.appointments_size(), page_size);
      for (const Appointment& appointment : response.appointments()) {
        names.push_back(appointment.name());
      }
      if (response.next_page_token().empty()) return names;
      request.set_page_token(response.next_page_token());
    }
    ADD_FAILURE() << "more than 100 pages";
    return names;
  }

  // Runs `sql` with `id` bound to its one parameter on scheduling.db.
  absl::Status Exec(const std::string& sql, const std::string& id) {
    return server_.database("scheduling").Write([&](SQLite::Database& db) {
      SQLite::Statement statement(db, sql);
      statement.bind(1, id);
      statement.exec();
      return absl::OkStatus();
    });
  }

  int64_t Count(const std::string& sql) {
    int64_t count = -1;
    EXPECT_OK(server_.database("scheduling").Read([&](SQLite::Database& db) {
      count = db.execAndGet(sql).getInt64();
      return absl::OkStatus();
    }));
    return count;
  }

  // Live appointments overlapping [start, end).
  int64_t LiveOverlapping(absl::Time start, absl::Time end) {
    return Count(
        absl::StrCat("SELECT count(*) FROM appointments WHERE state IN (1, 2) AND "
                     "start_unix < ",
                     absl::ToUnixSeconds(end), " AND end_unix > ", absl::ToUnixSeconds(start)));
  }

  // A client's plan of `technique` on both anterior knees, `sessions` sessions of `minutes`
  // every `interval_days`, from a submitted knee assessment; ACTIVE when `activate`, else DRAFT.
  // Returns the plan's name.
  std::string NewPlan(const std::string& client, const std::string& complaint,
                      common::v1::Technique technique, int interval_days, int sessions, int minutes,
                      bool activate = true) {
    const intake::v1::Assessment assessment =
        records_.NewAssessment(client, test::KneeAssessment(complaint, 5, "Signed at intake"));
    const plans::v1::TreatmentPlan stored = records_.NewPlan(
        client, assessment.name(), KneePlan(technique, interval_days, sessions, minutes), activate);
    EXPECT_EQ(stored.state(), activate ? plans::v1::TreatmentPlan::STATE_ACTIVE
                                       : plans::v1::TreatmentPlan::STATE_DRAFT);
    return stored.name();
  }

  grpc::Status BookSeries(const std::string& plan, const std::string& therapist,
                          absl::Time first_start, v1::BookSeriesResponse* out,
                          const std::string& request_id = "") {
    v1::BookSeriesRequest request;
    request.set_plan(plan);
    request.set_therapist(therapist);
    *request.mutable_first_start_time() = TimestampOf(first_start);
    request.set_request_id(request_id);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    return stub_->BookSeries(&context, request, out);
  }

  grpc::Status FindSlots(const v1::FindAvailableSlotsRequest& request,
                         v1::FindAvailableSlotsResponse* out, Role role = Role::kFrontDesk) {
    grpc::ClientContext context;
    server_.Prepare(context, role);
    return stub_->FindAvailableSlots(&context, request, out);
  }

  // The free starts for `therapist` (or, when empty, `technique`) in [from, to), as
  // "therapist HH:MM" in the clinic's time zone.
  std::vector<std::string> FreeStarts(const std::string& therapist, common::v1::Technique technique,
                                      absl::Time from, absl::Time to, int minutes) {
    v1::FindAvailableSlotsRequest request;
    request.set_therapist(therapist);
    request.set_technique(technique);
    *request.mutable_start_time() = TimestampOf(from);
    *request.mutable_end_time() = TimestampOf(to);
    request.set_duration_minutes(minutes);
    v1::FindAvailableSlotsResponse response;
    EXPECT_THAT(FindSlots(request, &response), IsOk());
    std::vector<std::string> starts;
    for (const v1::Slot& slot : response.slots()) {
      starts.push_back(absl::StrCat(slot.therapist(), " ",
                                    absl::FormatTime("%H:%M", TimeOf(slot.start_time()), zone_)));
    }
    return starts;
  }

  ClinicServer server_;
  const test::ClinicRecords records_{server_};
  const absl::TimeZone zone_;
  std::unique_ptr<intake::v1::IntakeService::Stub> intake_;
  std::unique_ptr<plans::v1::TreatmentPlanService::Stub> plans_;
  std::unique_ptr<notes::v1::SessionNoteService::Stub> notes_;
  std::unique_ptr<v1::SchedulingService::Stub> stub_;
};

// --- Therapists ---------------------------------------------------------------------------------

TEST_F(SchedulingServiceTest, CreateTherapistUsesTheChosenIdAndIsAlwaysActive) {
  Therapist therapist = TherapistOf(
      "  Ana Costa ", {common::v1::TECHNIQUE_TRIGGER_POINT, common::v1::TECHNIQUE_DEEP_TISSUE},
      {Hours(google::type::TUESDAY, Clock(9, 0), Clock(17, 0))});
  therapist.set_active(false);               // Ignored: a new therapist is bookable.
  therapist.set_name("therapists/mallory");  // Ignored: the id is therapist_id.
  Therapist created;
  ASSERT_THAT(CreateTherapist("ana", therapist, &created), IsOk());
  EXPECT_EQ(created.name(), "therapists/ana");
  EXPECT_EQ(created.display_name(), "Ana Costa");
  EXPECT_TRUE(created.active());
  EXPECT_THAT(created.techniques(),
              ElementsAre(common::v1::TECHNIQUE_TRIGGER_POINT, common::v1::TECHNIQUE_DEEP_TISSUE));
  EXPECT_EQ(created.working_hours_size(), 1);
  EXPECT_TRUE(created.has_create_time());
  EXPECT_FALSE(created.etag().empty());

  // Everyone may read it.
  for (Role role : test::kAllRoles) {
    Therapist fetched;
    ASSERT_THAT(GetTherapist("therapists/ana", &fetched, role), IsOk()) << RoleName(role);
    EXPECT_EQ(fetched.SerializeAsString(), created.SerializeAsString());
  }
  Therapist absent;
  EXPECT_THAT(GetTherapist("therapists/mallory", &absent),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("therapists/mallory")));
  EXPECT_THAT(ViolatedFields(GetTherapist("ana", &absent)), ElementsAre("name"));

  // Without an id the server makes a random one.
  Therapist random;
  ASSERT_THAT(CreateTherapist("", TherapistOf("Ben Okafor", {}, EveryDay(9, 17)), &random), IsOk());
  EXPECT_THAT(random.name(), MatchesRegex("therapists/[A-Za-z0-9_-]{16,}"));
}

TEST_F(SchedulingServiceTest, BadTherapistIdsAreRefusedOnTherapistId) {
  const Therapist therapist = TherapistOf("Ana Costa", {}, EveryDay(9, 17));
  for (const std::string& id : {std::string("Ana"), std::string("1ana"), std::string("ana-"),
                                std::string("an_a"), std::string("ana costa"), std::string("-ana"),
                                std::string("ana/x"), std::string("ána"), std::string(64, 'a')}) {
    Therapist out;
    const grpc::Status status = CreateTherapist(id, therapist, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << id;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("therapist_id")) << id;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM therapists"), 0);
  for (const std::string& id :
       {std::string("a"), std::string("ana-costa-2"), std::string("b") + std::string(62, '9')}) {
    Therapist out;
    EXPECT_THAT(CreateTherapist(id, therapist, &out), IsOk()) << id;
    EXPECT_EQ(out.name(), "therapists/" + id);
  }
}

TEST_F(SchedulingServiceTest, ATakenIdIsAlreadyExistsButARetryReturnsTheFirstTherapist) {
  const Therapist therapist = TherapistOf("Ana Costa", {}, EveryDay(9, 17));
  Therapist first;
  ASSERT_THAT(CreateTherapist("ana", therapist, &first, "create-ana-1"), IsOk());
  Therapist retried;
  ASSERT_THAT(CreateTherapist("ana", therapist, &retried, "create-ana-1"), IsOk());
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());

  Therapist duplicate;
  const grpc::Status status =
      CreateTherapist("ana", TherapistOf("Another Ana", {}, EveryDay(8, 12)), &duplicate);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("therapists/ana")));
  EXPECT_EQ(ErrorReason(status), "THERAPIST_EXISTS");
  Therapist stored;
  ASSERT_THAT(GetTherapist("therapists/ana", &stored), IsOk());
  EXPECT_EQ(stored.display_name(), "Ana Costa");
  EXPECT_EQ(Count("SELECT count(*) FROM therapists"), 1);

  // The same request_id with a different request is refused.
  EXPECT_THAT(CreateTherapist("bea", therapist, &duplicate, "create-ana-1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SchedulingServiceTest, WorkingHoursAreValidatedAndNothingIsStored) {
  struct Case {
    std::string what;
    std::vector<v1::WorkingHours> hours;
    std::vector<std::string> fields;  // Empty: accepted.
  };
  const std::vector<Case> cases = {
      {"start equals end",
       {Hours(google::type::MONDAY, Clock(9, 0), Clock(9, 0))},
       {"therapist.working_hours[0].end"}},
      {"start after end",
       {Hours(google::type::MONDAY, Clock(17, 0), Clock(9, 0))},
       {"therapist.working_hours[0].end"}},
      {"overlap on a day",
       {Hours(google::type::MONDAY, Clock(9, 0), Clock(13, 0)),
        Hours(google::type::FRIDAY, Clock(9, 0), Clock(13, 0)),
        Hours(google::type::MONDAY, Clock(12, 0), Clock(17, 0))},
       {"therapist.working_hours[2]"}},
      {"minutes 60",
       {Hours(google::type::MONDAY, Clock(9, 60), Clock(17, 0))},
       {"therapist.working_hours[0].start"}},
      {"seconds",
       {Hours(google::type::MONDAY, Clock(9, 0), Clock(17, 0, 30))},
       {"therapist.working_hours[0].end"}},
      {"start 24:00",
       {Hours(google::type::MONDAY, Clock(24, 0), Clock(24, 0))},
       {"therapist.working_hours[0].start"}},
      {"end 24:01",
       {Hours(google::type::MONDAY, Clock(20, 0), Clock(24, 1))},
       {"therapist.working_hours[0].end"}},
      {"no day",
       {Hours(google::type::DAY_OF_WEEK_UNSPECIFIED, Clock(9, 0), Clock(17, 0))},
       {"therapist.working_hours[0].day"}},
  };
  for (const Case& c : cases) {
    Therapist out;
    const grpc::Status status = CreateTherapist("ana", TherapistOf("Ana Costa", {}, c.hours), &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.what;
    EXPECT_THAT(ViolatedFields(status), ElementsAreArray(c.fields)) << c.what;
  }
  // Other fields: display name, unknown and repeated techniques.
  Therapist out;
  const grpc::Status status = CreateTherapist(
      "ana",
      TherapistOf(" ",
                  {common::v1::TECHNIQUE_DEEP_TISSUE, static_cast<common::v1::Technique>(99),
                   common::v1::TECHNIQUE_DEEP_TISSUE},
                  EveryDay(9, 17)),
      &out);
  EXPECT_THAT(
      ViolatedFields(status),
      ElementsAre("therapist.display_name", "therapist.techniques[1]", "therapist.techniques[2]"));
  EXPECT_EQ(Count("SELECT count(*) FROM therapists"), 0);

  // Adjacent intervals and an end at 24:00 are fine.
  EXPECT_THAT(
      CreateTherapist("ana",
                      TherapistOf("Ana Costa", {},
                                  {Hours(google::type::MONDAY, Clock(9, 0), Clock(12, 0)),
                                   Hours(google::type::MONDAY, Clock(12, 0), Clock(17, 0)),
                                   Hours(google::type::FRIDAY, Clock(18, 0), Clock(24, 0))}),
                      &out),
      IsOk());
}

TEST_F(SchedulingServiceTest, UpdateChangesOnlyMaskedFieldsChecksTheEtagAndCanDeactivate) {
  Therapist created;
  ASSERT_THAT(
      CreateTherapist(
          "ana", TherapistOf("Ana Costa", {common::v1::TECHNIQUE_TRIGGER_POINT}, EveryDay(9, 17)),
          &created),
      IsOk());
  Therapist patch;
  patch.set_name(created.name());
  patch.set_display_name("Not In The Mask");
  *patch.add_working_hours() = Hours(google::type::TUESDAY, Clock(10, 0), Clock(14, 0));
  patch.set_etag(created.etag());
  Therapist updated;
  ASSERT_THAT(UpdateTherapist(patch, {"working_hours"}, &updated), IsOk());
  EXPECT_EQ(updated.display_name(), "Ana Costa");
  ASSERT_EQ(updated.working_hours_size(), 1);
  EXPECT_EQ(updated.working_hours(0).start().hours(), 10);
  EXPECT_TRUE(updated.active());
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(TimeOf(updated.create_time()), TimeOf(created.create_time()));

  // The first etag is stale now.
  Therapist stale;
  EXPECT_THAT(UpdateTherapist(patch, {"working_hours"}, &stale),
              StatusIs(absl::StatusCode::kAborted));

  // Invalid hours in an update are refused and nothing changes.
  Therapist bad = patch;
  bad.clear_etag();
  *bad.add_working_hours() = Hours(google::type::TUESDAY, Clock(13, 0), Clock(15, 0));
  const grpc::Status overlapping = UpdateTherapist(bad, {"working_hours"}, &stale);
  EXPECT_THAT(overlapping, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(overlapping), ElementsAre("therapist.working_hours[1]"));

  // Masks: empty, output-only, immutable, unknown.
  Therapist none;
  none.set_name(created.name());
  EXPECT_THAT(ViolatedFields(UpdateTherapist(none, {}, &stale)), ElementsAre("update_mask"));
  EXPECT_THAT(ViolatedFields(UpdateTherapist(none, {"create_time"}, &stale)),
              ElementsAre("update_mask.paths[0]"));
  EXPECT_THAT(ViolatedFields(UpdateTherapist(none, {"name"}, &stale)),
              ElementsAre("update_mask.paths[0]"));
  EXPECT_THAT(ViolatedFields(UpdateTherapist(none, {"colour"}, &stale)),
              ElementsAre("update_mask.paths[0]"));
  Therapist absent;
  absent.set_name("therapists/mallory");
  absent.set_active(false);
  EXPECT_THAT(UpdateTherapist(absent, {"active"}, &stale), StatusIs(absl::StatusCode::kNotFound));

  Therapist current;
  ASSERT_THAT(GetTherapist(created.name(), &current), IsOk());
  EXPECT_EQ(current.SerializeAsString(), updated.SerializeAsString());

  // Deactivating keeps everything else.
  Therapist off;
  off.set_name(created.name());
  off.set_active(false);
  Therapist inactive;
  ASSERT_THAT(UpdateTherapist(off, {"active"}, &inactive), IsOk());
  EXPECT_FALSE(inactive.active());
  EXPECT_EQ(inactive.working_hours_size(), 1);
  EXPECT_EQ(inactive.display_name(), "Ana Costa");
}

TEST_F(SchedulingServiceTest, ListFiltersByTechniqueHidesInactiveAndPagesOnce) {
  using namespace common::v1;  // NOLINT: enum values read as the clinic speaks
  NewTherapist("ana", "Ana Costa", EveryDay(9, 17),
               {TECHNIQUE_TRIGGER_POINT, TECHNIQUE_DEEP_TISSUE});
  NewTherapist("ben", "Ben Okafor", EveryDay(9, 17), {TECHNIQUE_MYOFASCIAL_RELEASE});
  NewTherapist("cai", "Cai Jones", EveryDay(9, 17), {TECHNIQUE_TRIGGER_POINT});
  NewTherapist("dee", "Dee Murray", EveryDay(9, 17), {TECHNIQUE_DEEP_TISSUE});
  NewTherapist("eve", "Eve Lindqvist", EveryDay(9, 17), {});
  Deactivate("therapists/dee");

  auto names = [&](Technique technique, bool show_inactive) {
    v1::ListTherapistsRequest request;
    request.set_technique(technique);
    request.set_show_inactive(show_inactive);
    v1::ListTherapistsResponse response;
    EXPECT_THAT(ListTherapists(request, &response), IsOk());
    EXPECT_TRUE(response.next_page_token().empty());
    std::vector<std::string> out;
    for (const Therapist& therapist : response.therapists()) out.push_back(therapist.name());
    return out;
  };
  EXPECT_THAT(names(TECHNIQUE_UNSPECIFIED, false),
              ElementsAre("therapists/ana", "therapists/ben", "therapists/cai", "therapists/eve"));
  EXPECT_THAT(names(TECHNIQUE_UNSPECIFIED, true),
              ElementsAre("therapists/ana", "therapists/ben", "therapists/cai", "therapists/dee",
                          "therapists/eve"));
  EXPECT_THAT(names(TECHNIQUE_TRIGGER_POINT, false),
              ElementsAre("therapists/ana", "therapists/cai"));
  EXPECT_THAT(names(TECHNIQUE_DEEP_TISSUE, false), ElementsAre("therapists/ana"));
  EXPECT_THAT(names(TECHNIQUE_DEEP_TISSUE, true), ElementsAre("therapists/ana", "therapists/dee"));
  EXPECT_THAT(names(TECHNIQUE_MYOFASCIAL_RELEASE, false), ElementsAre("therapists/ben"));

  // Pages of two cover every therapist once.
  v1::ListTherapistsRequest request;
  request.set_show_inactive(true);
  request.set_page_size(2);
  std::vector<std::string> paged;
  std::vector<int> sizes;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    v1::ListTherapistsResponse response;
    ASSERT_THAT(ListTherapists(request, &response), IsOk());
    sizes.push_back(response.therapists_size());
    for (const Therapist& therapist : response.therapists()) paged.push_back(therapist.name());
    if (first_token.empty()) first_token = response.next_page_token();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(sizes, ElementsAre(2, 2, 1));
  EXPECT_THAT(paged, ElementsAre("therapists/ana", "therapists/ben", "therapists/cai",
                                 "therapists/dee", "therapists/eve"));

  // A token is bound to its filters; bad sizes and techniques are refused.
  v1::ListTherapistsRequest other;
  other.set_page_token(first_token);  // Issued with show_inactive.
  v1::ListTherapistsResponse response;
  EXPECT_THAT(ViolatedFields(ListTherapists(other, &response)), ElementsAre("page_token"));
  other.Clear();
  other.set_page_size(-1);
  EXPECT_THAT(ListTherapists(other, &response), StatusIs(absl::StatusCode::kInvalidArgument));
  other.Clear();
  other.set_technique(static_cast<Technique>(42));
  EXPECT_THAT(ViolatedFields(ListTherapists(other, &response)), ElementsAre("technique"));
}

// --- Booking ------------------------------------------------------------------------------------

TEST_F(SchedulingServiceTest, BookingStoresABookedAppointmentWithAnUnguessableName) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::Time start = At(Next(absl::Weekday::tuesday), 10);
  Appointment request = Slot(greta, ana, start, 60);
  request.set_state(Appointment::STATE_COMPLETED);  // Output only: ignored.
  request.set_cancel_reason("ignored");
  Appointment booked;
  ASSERT_THAT(Book(request, &booked), IsOk());
  EXPECT_THAT(booked.name(), MatchesRegex("appointments/[A-Za-z0-9_-]{16,}"));
  EXPECT_EQ(booked.client(), greta);
  EXPECT_EQ(booked.therapist(), ana);
  EXPECT_EQ(TimeOf(booked.start_time()), start);
  EXPECT_EQ(booked.duration_minutes(), 60);
  EXPECT_EQ(booked.state(), Appointment::STATE_BOOKED);
  EXPECT_EQ(booked.cancel_reason(), "");
  EXPECT_FALSE(booked.etag().empty());
  EXPECT_TRUE(booked.has_create_time());

  for (Role role : {Role::kFrontDesk, Role::kTherapist, Role::kService}) {
    Appointment fetched;
    ASSERT_THAT(GetAppointment(booked.name(), &fetched, role), IsOk()) << RoleName(role);
    EXPECT_EQ(fetched.SerializeAsString(), booked.SerializeAsString());
  }
  Appointment absent;
  EXPECT_THAT(GetAppointment(std::string(kAbsentAppointment), &absent),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(std::string(kAbsentAppointment))));
  EXPECT_THAT(ViolatedFields(GetAppointment("meetings/1", &absent)), ElementsAre("name"));
}

TEST_F(SchedulingServiceTest, TheClientMustExistAndBeActive) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  Appointment out;
  EXPECT_THAT(Book(Slot(std::string(kAbsentClient), ana, At(tuesday, 10), 60), &out),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(std::string(kAbsentClient))));

  const std::string olav = NewClient("Olav", "Officer");
  ArchiveClient(olav);
  const grpc::Status archived = Book(Slot(olav, ana, At(tuesday, 10), 60), &out);
  EXPECT_THAT(archived, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("archived")));
  EXPECT_EQ(ErrorReason(archived), "CLIENT_ARCHIVED");
  EXPECT_THAT(PreconditionSubjects(archived), ElementsAre(olav));
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
}

TEST_F(SchedulingServiceTest, TheTherapistMustExistAndBeActive) {
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  Appointment out;
  EXPECT_THAT(Book(Slot(greta, "therapists/mallory", At(tuesday, 10), 60), &out),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("therapists/mallory")));

  const std::string ana = NewTherapist("ana", "Ana Costa");
  Deactivate(ana);
  const grpc::Status inactive = Book(Slot(greta, ana, At(tuesday, 10), 60), &out);
  EXPECT_THAT(inactive, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(inactive), "THERAPIST_INACTIVE");
  EXPECT_THAT(PreconditionSubjects(inactive), ElementsAre(ana));
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
}

TEST_F(SchedulingServiceTest, TheWholeSlotMustLieInsideWorkingHours) {
  // Tuesdays 09:00-12:00 and 13:00-17:00; no Wednesdays.
  const std::string ana = NewTherapist("ana", "Ana Costa",
                                       {Hours(google::type::TUESDAY, Clock(9, 0), Clock(12, 0)),
                                        Hours(google::type::TUESDAY, Clock(13, 0), Clock(17, 0))});
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const absl::CivilDay wednesday = tuesday + 1;
  struct Case {
    std::string what;
    absl::Time start;
    int minutes;
  };
  const std::vector<Case> refused = {
      {"starts before opening", At(tuesday, 8, 45), 30},
      {"starts inside, ends in the lunch break", At(tuesday, 11, 30), 60},
      {"in the lunch break", At(tuesday, 12, 0), 30},
      {"across the lunch break", At(tuesday, 11, 45), 90},
      {"ends after closing", At(tuesday, 16, 30), 45},
      {"a day without hours", At(wednesday, 10, 0), 30},
  };
  const std::string greta = NewClient("Greta", "Gardner");
  for (const Case& c : refused) {
    Appointment out;
    const grpc::Status status = Book(Slot(greta, ana, c.start, c.minutes), &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("Ana Costa")))
        << c.what;
    EXPECT_EQ(ErrorReason(status), "OUTSIDE_WORKING_HOURS") << c.what;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
  // Exactly filling an interval's ends is allowed.
  MustBook(Slot(greta, ana, At(tuesday, 9), 60));
  MustBook(Slot(greta, ana, At(tuesday, 11), 60));
  MustBook(Slot(greta, ana, At(tuesday, 13), 180));
  MustBook(Slot(greta, ana, At(tuesday, 16), 60));
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 4);
}

TEST_F(SchedulingServiceTest, AnOverlapWithTheSameTherapistOrClientIsASlotConflictNamingIt) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string ben = NewTherapist("ben", "Ben Okafor");
  const std::string greta = NewClient("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const std::string ida = NewClient("Ida", "Inkster");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const Appointment first = MustBook(Slot(greta, ana, At(tuesday, 10), 60));

  struct Case {
    std::string what;
    Appointment slot;
  };
  const std::vector<Case> conflicts = {
      {"same therapist, same time, other client", Slot(olav, ana, At(tuesday, 10), 60)},
      {"same therapist, overlapping the start", Slot(olav, ana, At(tuesday, 9, 30), 45)},
      {"same therapist, overlapping the end", Slot(olav, ana, At(tuesday, 10, 45), 30)},
      {"same therapist, inside", Slot(olav, ana, At(tuesday, 10, 15), 15)},
      {"same therapist, around", Slot(olav, ana, At(tuesday, 9), 180)},
      {"same client, other therapist", Slot(greta, ben, At(tuesday, 10, 30), 60)},
  };
  for (const Case& c : conflicts) {
    Appointment out;
    const grpc::Status status = Book(c.slot, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition)) << c.what;
    EXPECT_EQ(ErrorReason(status), "SLOT_CONFLICT") << c.what;
    EXPECT_THAT(PreconditionSubjects(status), ElementsAre(first.name())) << c.what;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 1);

  // Back to back on both sides is fine, and so are other therapists with other clients.
  const Appointment before = MustBook(Slot(olav, ana, At(tuesday, 9), 60));
  const Appointment after = MustBook(Slot(ida, ana, At(tuesday, 11), 60));
  MustBook(Slot(olav, ben, At(tuesday, 10), 60));

  // A slot overlapping two live appointments names both, in time order.
  Appointment out;
  const grpc::Status both = Book(Slot(ida, ana, At(tuesday, 10, 30), 60), &out);
  EXPECT_EQ(ErrorReason(both), "SLOT_CONFLICT");
  EXPECT_THAT(PreconditionSubjects(both), ElementsAre(first.name(), after.name()));
  (void)before;
}

// A SlotConflict detail saying that appointment `held` holds the slot a session starting at
// `session` asked for.
MATCHER_P2(ConflictWith, held, session, "") {
  *result_listener << arg.ShortDebugString();
  return arg.appointment() == held.name() && arg.therapist() == held.therapist() &&
         arg.client() == held.client() &&
         arg.start_time().seconds() == held.start_time().seconds() &&
         arg.duration_minutes() == held.duration_minutes() &&
         arg.session_start_time().seconds() == absl::ToUnixSeconds(session);
}

TEST_F(SchedulingServiceTest, ASlotConflictCarriesWhoHoldsTheSlotAndWhenAsData) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string ben = NewTherapist("ben", "Ben Okafor");
  const std::string greta = NewClient("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const Appointment gretas = MustBook(Slot(greta, ana, At(tuesday, 10), 60));
  const Appointment olavs = MustBook(Slot(olav, ben, At(tuesday, 11), 45));

  // Olav with Ana at 10:30 overlaps Greta's appointment with Ana and his own with Ben: one
  // detail each, in time order, with the conflicting appointment's therapist, client and times.
  Appointment out;
  const grpc::Status both = Book(Slot(olav, ana, At(tuesday, 10, 30), 60), &out);
  EXPECT_EQ(ErrorReason(both), "SLOT_CONFLICT");
  EXPECT_THAT(SlotConflicts(both), ElementsAre(ConflictWith(gretas, At(tuesday, 10, 30)),
                                               ConflictWith(olavs, At(tuesday, 10, 30))));
  // The text for generic clients is still there, one violation per conflict.
  EXPECT_THAT(PreconditionSubjects(both), ElementsAre(gretas.name(), olavs.name()));

  // A reschedule onto Greta's slot names it, with the requested start.
  const Appointment moving = MustBook(Slot(olav, ana, At(tuesday, 14), 60));
  const grpc::Status moved = Reschedule(moving.name(), At(tuesday, 9, 30), 45, &out);
  EXPECT_EQ(ErrorReason(moved), "SLOT_CONFLICT");
  EXPECT_THAT(SlotConflicts(moved), ElementsAre(ConflictWith(gretas, At(tuesday, 9, 30))));

  // Other refusals carry no SlotConflict.
  const grpc::Status outside = Reschedule(moving.name(), At(tuesday, 6), 60, &out);
  EXPECT_EQ(ErrorReason(outside), "OUTSIDE_WORKING_HOURS");
  EXPECT_THAT(SlotConflicts(outside), IsEmpty());
}

TEST_F(SchedulingServiceTest, CancelledAndNoShowAppointmentsFreeTheirSlotCheckedInOnesHoldIt) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);

  const Appointment cancelled = MustBook(Slot(greta, ana, At(tuesday, 10), 60));
  Appointment out;
  ASSERT_THAT(Cancel(cancelled.name(), "Client has the flu", &out), IsOk());
  const Appointment rebooked = MustBook(Slot(olav, ana, At(tuesday, 10), 60));
  EXPECT_NE(rebooked.name(), cancelled.name());

  const Appointment no_show = MustBook(Slot(greta, ana, At(tuesday, 12), 60));
  ASSERT_THAT(NoShow(no_show.name(), &out), IsOk());
  MustBook(Slot(olav, ana, At(tuesday, 12), 60));

  const Appointment checked_in = MustBook(Slot(greta, ana, At(tuesday, 14), 60));
  ASSERT_THAT(CheckIn(checked_in.name(), &out), IsOk());
  const grpc::Status held = Book(Slot(olav, ana, At(tuesday, 14, 30), 30), &out);
  EXPECT_EQ(ErrorReason(held), "SLOT_CONFLICT");
  EXPECT_THAT(PreconditionSubjects(held), ElementsAre(checked_in.name()));

  // Completed sessions no longer hold their slot either.
  ASSERT_THAT(Complete(checked_in.name(), &out), IsOk());
  MustBook(Slot(olav, ana, At(tuesday, 14, 30), 30));
}

TEST_F(SchedulingServiceTest, BadBookingsNameEveryBadFieldAndStoreNothing) {
  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(0, 24));
  const std::string greta = NewClient("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const absl::Time start = At(Next(absl::Weekday::tuesday), 10);
  struct Case {
    std::string what;
    Appointment slot;
    std::vector<std::string> fields;
  };
  Appointment off_minute = Slot(greta, ana, start + absl::Seconds(30), 60);
  Appointment with_nanos = Slot(greta, ana, start, 60);
  with_nanos.mutable_start_time()->set_nanos(500);
  Appointment no_start = Slot(greta, ana, start, 60);
  no_start.clear_start_time();
  const std::vector<Case> cases = {
      {"start not on the minute", off_minute, {"appointment.start_time"}},
      {"start with nanos", with_nanos, {"appointment.start_time"}},
      {"no start", no_start, {"appointment.start_time"}},
      {"start in the past",
       Slot(greta, ana, At(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1, 10), 60),
       {"appointment.start_time"}},
      {"14 minutes", Slot(greta, ana, start, 14), {"appointment.duration_minutes"}},
      {"181 minutes", Slot(greta, ana, start, 181), {"appointment.duration_minutes"}},
      {"plan of another client",
       Slot(greta, ana, start, 60, olav + "/plans/bbbbbbbbbbbbbbbbbbbbbbbb"),
       {"appointment.plan"}},
      {"malformed plan", Slot(greta, ana, start, 60, "plans/1"), {"appointment.plan"}},
      {"malformed client and therapist",
       Slot("greta", "ana", start, 60),
       {"appointment.client", "appointment.therapist"}},
      {"everything missing",
       Appointment(),
       {"appointment.client", "appointment.therapist", "appointment.start_time",
        "appointment.duration_minutes"}},
  };
  for (const Case& c : cases) {
    Appointment out;
    const grpc::Status status = Book(c.slot, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.what;
    EXPECT_THAT(ViolatedFields(status), ElementsAreArray(c.fields)) << c.what;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
  // The bounds themselves are fine.
  MustBook(Slot(greta, ana, start, 15));
  MustBook(Slot(greta, ana, start + absl::Hours(1), 180));
}

TEST_F(SchedulingServiceTest, ANamedPlanMustBeTheClientsActivePlan) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  // A therapist registers the client, submits an assessment and writes a draft plan.
  const std::string greta = NewClient("Greta", "Gardner");
  intake::v1::CreateAssessmentRequest create_assessment;
  create_assessment.set_parent(greta);
  intake::v1::Assessment& assessment = *create_assessment.mutable_assessment();
  assessment.set_chief_complaint("Knee pain after kneeling");
  common::v1::Region& region = *assessment.mutable_pain()->add_regions();
  region.set_region(common::v1::BODY_REGION_KNEE_ANTERIOR);
  region.set_side(common::v1::SIDE_BILATERAL);
  assessment.mutable_pain()->set_current(5);
  assessment.set_health_screen_completed(true);
  assessment.mutable_consent()->set_informed_consent(true);
  assessment.mutable_consent()->set_signer_name("Greta Gardner");
  intake::v1::Assessment created_assessment;
  {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    ASSERT_THAT(intake_->CreateAssessment(&context, create_assessment, &created_assessment),
                IsOk());
  }
  intake::v1::SubmitAssessmentRequest submit;
  submit.set_name(created_assessment.name());
  intake::v1::Assessment submitted;
  {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    ASSERT_THAT(intake_->SubmitAssessment(&context, submit, &submitted), IsOk());
  }
  plans::v1::CreatePlanRequest create_plan;
  create_plan.set_parent(greta);
  plans::v1::TreatmentPlan& plan = *create_plan.mutable_plan();
  plan.set_assessment(submitted.name());
  plan.add_goals()->set_description("Kneel in the garden for an hour");
  plans::v1::PlannedTechnique& technique = *plan.add_techniques();
  technique.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  *technique.add_regions() = region;
  technique.set_pressure(common::v1::PRESSURE_FIRM);
  technique.set_minutes(20);
  plan.mutable_cadence()->set_interval_days(7);
  plan.mutable_cadence()->set_planned_sessions(6);
  plan.mutable_cadence()->set_session_minutes(60);
  plans::v1::TreatmentPlan draft;
  {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    ASSERT_THAT(plans_->CreatePlan(&context, create_plan, &draft), IsOk());
  }

  Appointment out;
  const grpc::Status not_active = Book(Slot(greta, ana, At(tuesday, 10), 60, draft.name()), &out);
  EXPECT_THAT(not_active, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(not_active), "PLAN_NOT_ACTIVE");
  EXPECT_THAT(PreconditionSubjects(not_active), ElementsAre(draft.name()));
  EXPECT_THAT(
      Book(Slot(greta, ana, At(tuesday, 10), 60, greta + "/plans/bbbbbbbbbbbbbbbbbbbbbbbb"), &out),
      StatusIs(absl::StatusCode::kNotFound));

  plans::v1::ActivatePlanRequest activate;
  activate.set_name(draft.name());
  plans::v1::TreatmentPlan active;
  {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    ASSERT_THAT(plans_->ActivatePlan(&context, activate, &active), IsOk());
  }
  const Appointment booked = MustBook(Slot(greta, ana, At(tuesday, 10), 60, draft.name()));
  EXPECT_EQ(booked.plan(), draft.name());
}

TEST_F(SchedulingServiceTest, ARetryWithTheSameRequestIdReturnsTheFirstAppointment) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const Appointment slot = Slot(greta, ana, At(tuesday, 10), 60);
  Appointment first;
  ASSERT_THAT(Book(slot, &first, "book-greta-tuesday"), IsOk());
  Appointment retried;
  ASSERT_THAT(Book(slot, &retried, "book-greta-tuesday"), IsOk());
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 1);

  // The same id with another request is refused; another id for the same slot conflicts.
  Appointment out;
  EXPECT_THAT(Book(Slot(greta, ana, At(tuesday, 14), 60), &out, "book-greta-tuesday"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(Book(slot, &out, "book-greta-tuesday-2")), "SLOT_CONFLICT");
  EXPECT_THAT(ViolatedFields(Book(slot, &out, "not a request id!")), ElementsAre("request_id"));
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 1);
}

// --- The race -----------------------------------------------------------------------------------

// Eight clients on eight connections of their own book overlapping slots with one therapist at
// the same moment, twenty rounds: each round exactly one wins.
TEST_F(SchedulingServiceTest, OfManyBookingsRacingForOneSlotExactlyOneWins) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(0, 24));
  std::vector<std::string> clients;
  for (int i = 0; i < kThreads; ++i) clients.push_back(NewClient("Racer", absl::StrCat("No", i)));
  const absl::CivilDay first_day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1;
  // Round r: 60 minutes from first_day 00:00 + 2r hours; thread i starts (i % 4) × 10 minutes
  // later, so every two of a round overlap and no two rounds do.
  auto round_start = [&](int round) { return At(first_day, 0) + absl::Hours(2 * round); };

  // One channel, so one connection, per thread.
  std::vector<std::unique_ptr<v1::SchedulingService::Stub>> stubs;
  for (int i = 0; i < kThreads; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetString("velknee.test.connection", absl::StrCat(i));
    stubs.push_back(v1::SchedulingService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server_.port()), grpc::InsecureChannelCredentials(), args)));
    // Connect before the race.
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    v1::GetTherapistRequest request;
    request.set_name(ana);
    Therapist out;
    ASSERT_THAT(stubs.back()->GetTherapist(&context, request, &out), IsOk());
  }

  struct Result {
    grpc::Status status;
    Appointment appointment;
  };
  std::vector<std::vector<Result>> results(kRounds, std::vector<Result>(kThreads));
  std::vector<std::thread> threads;
  // One barrier per round, destroyed after every thread has passed it.
  std::vector<std::unique_ptr<absl::Barrier>> round_barriers;
  for (int round = 0; round < kRounds; ++round) {
    round_barriers.push_back(std::make_unique<absl::Barrier>(kThreads));
  }
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < kRounds; ++round) {
        v1::BookAppointmentRequest request;
        *request.mutable_appointment() =
            Slot(clients[i], ana, round_start(round) + absl::Minutes(10 * (i % 4)), 60);
        grpc::ClientContext context;
        server_.Prepare(context, Role::kFrontDesk);
        round_barriers[round]->Block();  // Everyone sends at once.
        Result& result = results[round][i];
        result.status = stubs[i]->BookAppointment(&context, request, &result.appointment);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::string> winners;
    for (const Result& result : results[round]) {
      if (result.status.ok()) winners.push_back(result.appointment.name());
    }
    ASSERT_EQ(winners.size(), 1u) << "round " << round;
    for (int i = 0; i < kThreads; ++i) {
      const Result& result = results[round][i];
      if (result.status.ok()) continue;
      EXPECT_THAT(result.status, StatusIs(absl::StatusCode::kFailedPrecondition))
          << "round " << round << " thread " << i;
      EXPECT_EQ(ErrorReason(result.status), "SLOT_CONFLICT") << "round " << round;
      EXPECT_THAT(PreconditionSubjects(result.status), ElementsAre(winners[0]))
          << "round " << round;
    }
    EXPECT_EQ(LiveOverlapping(round_start(round), round_start(round) + absl::Minutes(90)), 1)
        << "round " << round;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), kRounds);
}

// --- Daylight saving ----------------------------------------------------------------------------

// A clinic in London. Working hours stay 09:00-17:00 on the wall clock on both sides of the
// next change of the clocks (last Sunday of October back, of March forward).
class LondonSchedulingTest : public SchedulingServiceTest {
 protected:
  LondonSchedulingTest() : SchedulingServiceTest(LoadLondon()) {}

  static absl::TimeZone LoadLondon() {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone("Europe/London", &zone)) {
      ADD_FAILURE() << "no tz data for Europe/London";
    }
    return zone;
  }
};

TEST_F(LondonSchedulingTest, ADaylightSavingWeekKeepsTheLocalHours) {
  // The next change whose eve is at least a day away, so every booking is in the future.
  absl::TimeZone::CivilTransition transition;
  absl::Time after = absl::Now() + absl::Hours(48);
  bool found = false;
  absl::CivilDay change_day;
  for (int i = 0; i < 4 && !found; ++i) {
    ASSERT_TRUE(zone_.NextTransition(after, &transition));
    change_day = absl::CivilDay(transition.from);
    found = absl::GetWeekday(change_day) == absl::Weekday::sunday &&
            (transition.from.month() == 3 || transition.from.month() == 10);
    after = absl::FromCivil(transition.to, zone_) + absl::Hours(1);
  }
  ASSERT_TRUE(found) << "no daylight-saving change found in Europe/London";
  const bool spring = transition.from.month() == 3;  // Clocks go forward: the day has 23 h.

  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(9, 17));
  const std::string greta = NewClient("Greta", "Gardner");
  std::vector<absl::Time> starts;
  for (const absl::CivilDay day : {change_day - 1, change_day, change_day + 1}) {
    const Appointment booked = MustBook(Slot(greta, ana, At(day, 10, 0, zone_), 60));
    const absl::Time start = TimeOf(booked.start_time());
    EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", start, zone_),
              absl::FormatTime("%Y-%m-%d 10:00", absl::FromCivil(day, zone_), zone_));
    starts.push_back(start);
  }
  // Across the change a "day" from 10:00 to 10:00 lasts 25 h in autumn and 23 h in spring.
  EXPECT_EQ(starts[1] - starts[0], spring ? absl::Hours(23) : absl::Hours(25));
  EXPECT_EQ(starts[2] - starts[1], absl::Hours(24));
  // In UTC, 10:00 local is 09:00 in summer time and 10:00 in winter.
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(absl::FormatTime("%H:%M", starts[0], utc), spring ? "10:00" : "09:00");
  EXPECT_EQ(absl::FormatTime("%H:%M", starts[2], utc), spring ? "09:00" : "10:00");

  // The edges of the day follow the wall clock: 09:00 and 16:00 local are bookable on both
  // sides (one of them lies outside 09:00-17:00 in UTC), 08:30 and 16:30 local are not.
  const std::string olav = NewClient("Olav", "Officer");
  const std::string ida = NewClient("Ida", "Inkster");
  for (const absl::CivilDay day : {change_day - 1, change_day + 1}) {
    MustBook(Slot(olav, ana, At(day, 9, 0, zone_), 60));
    MustBook(Slot(olav, ana, At(day, 16, 0, zone_), 60));
    for (const int minute_of_day : {8 * 60 + 30, 16 * 60 + 30}) {
      Appointment out;
      const grpc::Status status =
          Book(Slot(ida, "therapists/ana", At(day, 0, minute_of_day, zone_), 60), &out);
      EXPECT_EQ(ErrorReason(status), "OUTSIDE_WORKING_HOURS")
          << day << " at minute " << minute_of_day;
    }
  }
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 7);
}

// --- State machine ------------------------------------------------------------------------------

TEST_F(SchedulingServiceTest, TheAllowedStateChanges) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);

  // BOOKED → CHECKED_IN (front desk) → COMPLETED (therapist).
  const Appointment session = MustBook(Slot(greta, ana, At(tuesday, 9), 60));
  Appointment checked_in;
  ASSERT_THAT(CheckIn(session.name(), &checked_in, session.etag()), IsOk());
  EXPECT_EQ(checked_in.state(), Appointment::STATE_CHECKED_IN);
  EXPECT_NE(checked_in.etag(), session.etag());
  Appointment completed;
  ASSERT_THAT(Complete(session.name(), &completed), IsOk());
  EXPECT_EQ(completed.state(), Appointment::STATE_COMPLETED);
  EXPECT_EQ(MustGet(session.name()).state(), Appointment::STATE_COMPLETED);

  // A therapist may check in too; SERVICE may complete.
  const Appointment second = MustBook(Slot(greta, ana, At(tuesday, 10), 60));
  Appointment out;
  ASSERT_THAT(CheckIn(second.name(), &out, "", Role::kTherapist), IsOk());
  ASSERT_THAT(Complete(second.name(), &out, Role::kService), IsOk());
  EXPECT_EQ(out.state(), Appointment::STATE_COMPLETED);

  // BOOKED → CANCELLED with a reason (required).
  const Appointment cancelled = MustBook(Slot(greta, ana, At(tuesday, 11), 60));
  EXPECT_THAT(ViolatedFields(Cancel(cancelled.name(), "", &out)), ElementsAre("reason"));
  EXPECT_THAT(ViolatedFields(Cancel(cancelled.name(), "   ", &out)), ElementsAre("reason"));
  EXPECT_THAT(ViolatedFields(Cancel(cancelled.name(), std::string(1001, 'x'), &out)),
              ElementsAre("reason"));
  EXPECT_EQ(MustGet(cancelled.name()).state(), Appointment::STATE_BOOKED);
  ASSERT_THAT(Cancel(cancelled.name(), "  Client has the flu ", &out), IsOk());
  EXPECT_EQ(out.state(), Appointment::STATE_CANCELLED);
  EXPECT_EQ(out.cancel_reason(), "Client has the flu");

  // BOOKED → NO_SHOW.
  const Appointment missed = MustBook(Slot(greta, ana, At(tuesday, 12), 60));
  ASSERT_THAT(NoShow(missed.name(), &out), IsOk());
  EXPECT_EQ(out.state(), Appointment::STATE_NO_SHOW);
  EXPECT_EQ(out.cancel_reason(), "");

  // Absent appointments.
  EXPECT_THAT(CheckIn(std::string(kAbsentAppointment), &out),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ViolatedFields(CheckIn("appointments", &out)), ElementsAre("name"));
}

TEST_F(SchedulingServiceTest, EveryOtherStateChangeIsAFailedPrecondition) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  Appointment out;
  const Appointment booked = MustBook(Slot(greta, ana, At(tuesday, 9), 30));
  const Appointment checked_in = MustBook(Slot(greta, ana, At(tuesday, 10), 30));
  ASSERT_THAT(CheckIn(checked_in.name(), &out), IsOk());
  const Appointment completed = MustBook(Slot(greta, ana, At(tuesday, 11), 30));
  ASSERT_THAT(CheckIn(completed.name(), &out), IsOk());
  ASSERT_THAT(Complete(completed.name(), &out), IsOk());
  const Appointment cancelled = MustBook(Slot(greta, ana, At(tuesday, 12), 30));
  ASSERT_THAT(Cancel(cancelled.name(), "Moved away", &out), IsOk());
  const Appointment no_show = MustBook(Slot(greta, ana, At(tuesday, 13), 30));
  ASSERT_THAT(NoShow(no_show.name(), &out), IsOk());

  using Change = std::function<grpc::Status(const std::string&)>;
  const std::map<std::string, Change> changes = {
      {"check in", [&](const std::string& name) { return CheckIn(name, &out); }},
      {"complete", [&](const std::string& name) { return Complete(name, &out); }},
      {"cancel", [&](const std::string& name) { return Cancel(name, "Changed mind", &out); }},
      {"no-show", [&](const std::string& name) { return NoShow(name, &out); }},
  };
  // What each state refuses.
  const std::map<std::string, std::pair<Appointment, std::set<std::string>>> refused = {
      {"booked", {booked, {"complete"}}},
      {"checked in", {checked_in, {"check in", "cancel", "no-show"}}},
      {"completed", {completed, {"check in", "complete", "cancel", "no-show"}}},
      {"cancelled", {cancelled, {"check in", "complete", "cancel", "no-show"}}},
      {"no show", {no_show, {"check in", "complete", "cancel", "no-show"}}},
  };
  for (const auto& [state, entry] : refused) {
    const Appointment before = MustGet(entry.first.name());
    for (const std::string& change : entry.second) {
      const grpc::Status status = changes.at(change)(entry.first.name());
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(state)))
          << change << " when " << state;
      EXPECT_EQ(ErrorReason(status), "INVALID_STATE_CHANGE") << change << " when " << state;
      EXPECT_THAT(PreconditionSubjects(status), ElementsAre(entry.first.name()));
    }
    EXPECT_EQ(MustGet(entry.first.name()).SerializeAsString(), before.SerializeAsString()) << state;
  }
}

// Each state change conditional on an etag read before another change is refused and changes
// nothing.
TEST_F(SchedulingServiceTest, StateChangesCheckTheEtag) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const Appointment booked = MustBook(Slot(greta, ana, At(tuesday, 9), 30));
  Appointment moved;
  ASSERT_THAT(Reschedule(booked.name(), At(tuesday, 11), 0, &moved, booked.etag()), IsOk());
  ASSERT_NE(moved.etag(), booked.etag());

  const std::string stale = booked.etag();
  Appointment out;
  const std::map<std::string, grpc::Status> refused = {
      {"RescheduleAppointment", Reschedule(booked.name(), At(tuesday, 14), 0, &out, stale)},
      {"CancelAppointment", Cancel(booked.name(), "Client ill", &out, stale)},
      {"CheckInAppointment", CheckIn(booked.name(), &out, stale)},
      {"MarkNoShow", NoShow(booked.name(), &out, stale)},
  };
  for (const auto& [method, status] : refused) {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted)) << method;
    EXPECT_EQ(ErrorReason(status), "ETAG_MISMATCH") << method;
  }
  EXPECT_EQ(MustGet(booked.name()).SerializeAsString(), moved.SerializeAsString());

  Appointment checked_in;
  ASSERT_THAT(CheckIn(booked.name(), &checked_in, moved.etag()), IsOk());
  v1::CompleteAppointmentRequest request;
  request.set_name(booked.name());
  request.set_etag(moved.etag());  // Stale since the check-in.
  grpc::ClientContext context;
  server_.Prepare(context, Role::kTherapist);
  const grpc::Status complete = stub_->CompleteAppointment(&context, request, &out);
  EXPECT_THAT(complete, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReason(complete), "ETAG_MISMATCH");
  EXPECT_EQ(MustGet(booked.name()).SerializeAsString(), checked_in.SerializeAsString());
}

// The schema refuses to change a final appointment or delete any, even past the service.
TEST_F(SchedulingServiceTest, FinalStatesCannotChangeEvenByDirectSql) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  Appointment out;
  const Appointment completed = MustBook(Slot(greta, ana, At(tuesday, 9), 30));
  ASSERT_THAT(CheckIn(completed.name(), &out), IsOk());
  ASSERT_THAT(Complete(completed.name(), &out), IsOk());
  const Appointment cancelled = MustBook(Slot(greta, ana, At(tuesday, 10), 30));
  ASSERT_THAT(Cancel(cancelled.name(), "Moved away", &out), IsOk());
  const Appointment no_show = MustBook(Slot(greta, ana, At(tuesday, 11), 30));
  ASSERT_THAT(NoShow(no_show.name(), &out), IsOk());
  const Appointment booked = MustBook(Slot(greta, ana, At(tuesday, 12), 30));

  auto id = [](const Appointment& appointment) {
    return appointment.name().substr(appointment.name().rfind('/') + 1);
  };
  for (const Appointment* final_one : {&completed, &cancelled, &no_show}) {
    const int64_t state_before =
        Count(absl::StrCat("SELECT state FROM appointments WHERE id = '", id(*final_one), "'"));
    const absl::Status refused =
        Exec("UPDATE appointments SET state = 1 WHERE id = ?", id(*final_one));
    EXPECT_FALSE(refused.ok()) << final_one->name();
    EXPECT_THAT(std::string(refused.message()), HasSubstr("is final")) << final_one->name();
    EXPECT_FALSE(
        Exec("UPDATE appointments SET start_unix = start_unix + 60 WHERE id = ?", id(*final_one))
            .ok());
    EXPECT_EQ(
        Count(absl::StrCat("SELECT state FROM appointments WHERE id = '", id(*final_one), "'")),
        state_before);
  }
  // Live rows may change (the trigger is not a blanket refusal); no row may be deleted.
  EXPECT_OK(Exec("UPDATE appointments SET state = 2 WHERE id = ?", id(booked)));
  for (const Appointment* any : {&completed, &booked}) {
    EXPECT_FALSE(Exec("DELETE FROM appointments WHERE id = ?", id(*any)).ok());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 4);
}

TEST_F(SchedulingServiceTest, RescheduleMovesABookedAppointmentWithTheBookingChecks) {
  const std::string ana =
      NewTherapist("ana", "Ana Costa", {Hours(google::type::TUESDAY, Clock(9, 0), Clock(17, 0))});
  const std::string greta = NewClient("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const Appointment moving = MustBook(Slot(greta, ana, At(tuesday, 10), 60));
  const Appointment olavs = MustBook(Slot(olav, ana, At(tuesday, 14), 60));

  // Overlapping its own old slot is fine; the duration is kept when 0.
  Appointment moved;
  ASSERT_THAT(Reschedule(moving.name(), At(tuesday, 10, 30), 0, &moved, moving.etag()), IsOk());
  EXPECT_EQ(TimeOf(moved.start_time()), At(tuesday, 10, 30));
  EXPECT_EQ(moved.duration_minutes(), 60);
  EXPECT_EQ(moved.state(), Appointment::STATE_BOOKED);
  EXPECT_NE(moved.etag(), moving.etag());
  EXPECT_EQ(MustGet(moving.name()).SerializeAsString(), moved.SerializeAsString());
  // The old slot is free again.
  MustBook(Slot(olav, ana, At(tuesday, 9, 15), 60));

  Appointment out;
  // Stale etag.
  EXPECT_THAT(Reschedule(moving.name(), At(tuesday, 12), 0, &out, moving.etag()),
              StatusIs(absl::StatusCode::kAborted));
  // Onto another live appointment.
  const grpc::Status conflict = Reschedule(moving.name(), At(tuesday, 13, 30), 60, &out);
  EXPECT_EQ(ErrorReason(conflict), "SLOT_CONFLICT");
  EXPECT_THAT(PreconditionSubjects(conflict), ElementsAre(olavs.name()));
  // Outside working hours (also by a longer duration).
  EXPECT_EQ(ErrorReason(Reschedule(moving.name(), At(tuesday + 1, 10), 0, &out)),
            "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(ErrorReason(Reschedule(moving.name(), At(tuesday, 16), 90, &out)),
            "OUTSIDE_WORKING_HOURS");
  // Bad fields.
  EXPECT_THAT(
      ViolatedFields(Reschedule(moving.name(), At(tuesday, 12) + absl::Seconds(1), 0, &out)),
      ElementsAre("start_time"));
  EXPECT_THAT(ViolatedFields(Reschedule(moving.name(), absl::Now() - absl::Hours(2), 0, &out)),
              ElementsAre("start_time"));
  EXPECT_THAT(ViolatedFields(Reschedule(moving.name(), At(tuesday, 12), 181, &out)),
              ElementsAre("duration_minutes"));
  EXPECT_THAT(Reschedule(std::string(kAbsentAppointment), At(tuesday, 12), 0, &out),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(MustGet(moving.name()).SerializeAsString(), moved.SerializeAsString());

  // A longer session in place.
  ASSERT_THAT(Reschedule(moving.name(), At(tuesday, 10, 30), 90, &out), IsOk());
  EXPECT_EQ(out.duration_minutes(), 90);

  // Only a BOOKED appointment moves.
  ASSERT_THAT(CheckIn(moving.name(), &out), IsOk());
  const grpc::Status checked_in = Reschedule(moving.name(), At(tuesday, 12), 0, &out);
  EXPECT_THAT(checked_in, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("checked in")));
  EXPECT_EQ(ErrorReason(checked_in), "APPOINTMENT_NOT_BOOKED");
  ASSERT_THAT(Cancel(olavs.name(), "Client asked", &out), IsOk());
  EXPECT_EQ(ErrorReason(Reschedule(olavs.name(), At(tuesday, 15), 0, &out)),
            "APPOINTMENT_NOT_BOOKED");

  // Not with an inactive therapist.
  const Appointment later = MustBook(Slot(olav, ana, At(tuesday, 15), 30));
  Deactivate(ana);
  EXPECT_EQ(ErrorReason(Reschedule(later.name(), At(tuesday, 15, 30), 0, &out)),
            "THERAPIST_INACTIVE");
}

// --- Listing ------------------------------------------------------------------------------------

TEST_F(SchedulingServiceTest, ListByTherapistClientAndTimeRangeOrderedByStartAndPaged) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string ben = NewTherapist("ben", "Ben Okafor");
  const std::string greta = NewClient("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const std::string ida = NewClient("Ida", "Inkster");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const absl::CivilDay wednesday = tuesday + 1;
  // Booked out of order.
  const std::string a5 = MustBook(Slot(greta, ana, At(wednesday, 11), 60)).name();
  const std::string a3 = MustBook(Slot(greta, ben, At(tuesday, 14), 60)).name();
  const std::string a1 = MustBook(Slot(greta, ana, At(tuesday, 10), 60)).name();
  const std::string a4 = MustBook(Slot(olav, ben, At(wednesday, 9), 60)).name();
  const std::string a2 = MustBook(Slot(olav, ana, At(tuesday, 9), 60)).name();
  const std::string a6 = MustBook(Slot(ida, ben, At(tuesday, 9), 60)).name();  // Same start as a2.
  Appointment out;
  ASSERT_THAT(Cancel(a5, "Client asked", &out), IsOk());  // Every state is listed.
  // Equal starts are ordered by name.
  const std::vector<std::string> nine =
      a2 < a6 ? std::vector<std::string>{a2, a6} : std::vector<std::string>{a6, a2};

  auto list = [&](const std::string& therapist, const std::string& client,
                  std::optional<absl::Time> from, std::optional<absl::Time> to) {
    v1::ListAppointmentsRequest request;
    request.set_therapist(therapist);
    request.set_client(client);
    if (from) *request.mutable_start_time() = TimestampOf(*from);
    if (to) *request.mutable_end_time() = TimestampOf(*to);
    return ListAll(request, 50);
  };
  EXPECT_THAT(list("", "", {}, {}), ElementsAre(nine[0], nine[1], a1, a3, a4, a5));
  EXPECT_THAT(list(ana, "", {}, {}), ElementsAre(a2, a1, a5));
  EXPECT_THAT(list(ben, "", {}, {}), ElementsAre(a6, a3, a4));
  EXPECT_THAT(list("", greta, {}, {}), ElementsAre(a1, a3, a5));
  EXPECT_THAT(list(ana, greta, {}, {}), ElementsAre(a1, a5));
  EXPECT_THAT(list(ben, olav, {}, {}), ElementsAre(a4));
  EXPECT_THAT(list(ana, ida, {}, {}), IsEmpty());
  // [from, to): starts at `from` are in, starts at `to` are out.
  EXPECT_THAT(list("", "", At(tuesday, 0), At(wednesday, 0)),
              ElementsAre(nine[0], nine[1], a1, a3));
  EXPECT_THAT(list("", "", At(tuesday, 10), At(tuesday, 14)), ElementsAre(a1));
  EXPECT_THAT(list("", "", At(wednesday, 9), {}), ElementsAre(a4, a5));
  EXPECT_THAT(list(ana, "", {}, At(tuesday, 10)), ElementsAre(a2));
  // Both therapists as THERAPIST too (appointments carry no clinical content).
  v1::ListAppointmentsRequest all;
  v1::ListAppointmentsResponse response;
  ASSERT_THAT(List(all, &response, Role::kTherapist), IsOk());
  EXPECT_EQ(response.appointments_size(), 6);

  // Pages of any size cover the same list once.
  for (int page_size : {1, 2, 4}) {
    EXPECT_THAT(ListAll(all, page_size), ElementsAre(nine[0], nine[1], a1, a3, a4, a5))
        << "page size " << page_size;
  }
  v1::ListAppointmentsRequest by_greta;
  by_greta.set_client(greta);
  EXPECT_THAT(ListAll(by_greta, 1), ElementsAre(a1, a3, a5));

  // Bad requests.
  v1::ListAppointmentsRequest request;
  request.set_page_size(2);
  ASSERT_THAT(List(request, &response), IsOk());
  ASSERT_FALSE(response.next_page_token().empty());
  v1::ListAppointmentsRequest other;
  other.set_therapist(ana);
  other.set_page_size(2);
  other.set_page_token(response.next_page_token());
  EXPECT_THAT(ViolatedFields(List(other, &response)), ElementsAre("page_token"));
  other.Clear();
  other.set_page_token("not-a-token");
  EXPECT_THAT(ViolatedFields(List(other, &response)), ElementsAre("page_token"));
  other.Clear();
  other.set_page_size(-1);
  EXPECT_THAT(List(other, &response), StatusIs(absl::StatusCode::kInvalidArgument));
  other.Clear();
  other.set_therapist("ana");
  EXPECT_THAT(ViolatedFields(List(other, &response)), ElementsAre("therapist"));
  other.Clear();
  other.set_client("greta");
  EXPECT_THAT(ViolatedFields(List(other, &response)), ElementsAre("client"));
  other.Clear();
  *other.mutable_start_time() = TimestampOf(At(tuesday, 10));
  *other.mutable_end_time() = TimestampOf(At(tuesday, 10));
  EXPECT_THAT(ViolatedFields(List(other, &response)), ElementsAre("end_time"));
}

// --- Series ------------------------------------------------------------------------------------

// "therapist client YYYY-MM-DD HH:MM minutes" of each appointment, in `zone`.
std::vector<std::string> Sessions(const google::protobuf::RepeatedPtrField<Appointment>& booked,
                                  absl::TimeZone zone) {
  std::vector<std::string> sessions;
  for (const Appointment& appointment : booked) {
    sessions.push_back(
        absl::StrCat(appointment.therapist(), " ", appointment.client(), " ",
                     absl::FormatTime("%Y-%m-%d %H:%M", TimeOf(appointment.start_time()), zone),
                     " ", appointment.duration_minutes()));
  }
  return sessions;
}

TEST_F(LondonSchedulingTest, ASeriesKeepsItsLocalTimeAcrossADaylightSavingChange) {
  // The next change at least 8 days away, so that the Tuesday before it is in the future.
  absl::TimeZone::CivilTransition transition;
  absl::Time after = absl::Now() + absl::Hours(24 * 8);
  bool found = false;
  absl::CivilDay change_day;
  for (int i = 0; i < 4 && !found; ++i) {
    ASSERT_TRUE(zone_.NextTransition(after, &transition));
    change_day = absl::CivilDay(transition.from);
    found = absl::GetWeekday(change_day) == absl::Weekday::sunday &&
            (transition.from.month() == 3 || transition.from.month() == 10);
    after = absl::FromCivil(transition.to, zone_) + absl::Hours(1);
  }
  ASSERT_TRUE(found) << "no daylight-saving change found in Europe/London";
  const bool spring = transition.from.month() == 3;
  const absl::CivilDay first_tuesday = change_day - 5;
  ASSERT_EQ(absl::GetWeekday(first_tuesday), absl::Weekday::tuesday);

  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(9, 17));
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  const std::string plan = NewPlan(greta, "Knee pain after kneeling in the garden",
                                   common::v1::TECHNIQUE_TRIGGER_POINT, 7, 6, 60);
  v1::BookSeriesResponse series;
  ASSERT_THAT(BookSeries(plan, ana, At(first_tuesday, 10, 0, zone_), &series), IsOk());
  std::vector<std::string> expected;
  for (int week = 0; week < 6; ++week) {
    expected.push_back(absl::StrCat(ana, " ", greta, " ",
                                    absl::FormatCivilTime(first_tuesday + 7 * week), " 10:00 60"));
  }
  EXPECT_THAT(Sessions(series.appointments(), zone_), ElementsAreArray(expected));
  for (const Appointment& appointment : series.appointments()) {
    EXPECT_EQ(appointment.plan(), plan);
    EXPECT_EQ(appointment.state(), Appointment::STATE_BOOKED);
    EXPECT_THAT(appointment.name(), MatchesRegex("appointments/[a-z0-9]+"));
    EXPECT_EQ(MustGet(appointment.name()).SerializeAsString(), appointment.SerializeAsString());
  }
  ASSERT_EQ(series.appointments_size(), 6);
  // The week across the change is an hour shorter (spring) or longer (autumn) in real time.
  const absl::Time first = TimeOf(series.appointments(0).start_time());
  const absl::Time second = TimeOf(series.appointments(1).start_time());
  const absl::Time third = TimeOf(series.appointments(2).start_time());
  EXPECT_EQ(second - first, absl::Hours(7 * 24) + (spring ? -absl::Hours(1) : absl::Hours(1)));
  EXPECT_EQ(third - second, absl::Hours(7 * 24));
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 6);
}

TEST_F(SchedulingServiceTest, ASeriesNeedsAnActivePlanAndAnExistingTherapist) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  const std::string draft = NewPlan(greta, "Knee pain after kneeling in the garden",
                                    common::v1::TECHNIQUE_TRIGGER_POINT, 7, 6, 60,
                                    /*activate=*/false);
  const absl::Time first = At(Next(absl::Weekday::tuesday), 10);
  v1::BookSeriesResponse out;
  const grpc::Status not_active = BookSeries(draft, ana, first, &out);
  EXPECT_THAT(not_active, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(not_active), "PLAN_NOT_ACTIVE");
  EXPECT_THAT(PreconditionSubjects(not_active), ElementsAre(draft));
  EXPECT_THAT(BookSeries(greta + "/plans/bbbbbbbbbbbbbbbbbbbbbbbb", ana, first, &out),
              StatusIs(absl::StatusCode::kNotFound));
  const std::string active = NewPlan(greta, "Knee pain after kneeling in the garden",
                                     common::v1::TECHNIQUE_TRIGGER_POINT, 7, 6, 60);
  EXPECT_THAT(BookSeries(active, "therapists/mallory", first, &out),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("therapists/mallory")));
  const grpc::Status bad = BookSeries("plans/x", "ana", absl::UnixEpoch(), &out);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(out.appointments(), IsEmpty());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
}

TEST_F(SchedulingServiceTest, ARetriedSeriesReturnsTheFirstAppointmentsAndBooksNothingNew) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  const std::string plan = NewPlan(greta, "Knee pain after kneeling in the garden",
                                   common::v1::TECHNIQUE_TRIGGER_POINT, 7, 6, 60);
  const absl::Time first = At(Next(absl::Weekday::tuesday), 10);
  v1::BookSeriesResponse booked;
  ASSERT_THAT(BookSeries(plan, ana, first, &booked, "series-greta-1"), IsOk());
  ASSERT_EQ(booked.appointments_size(), 6);
  v1::BookSeriesResponse retried;
  ASSERT_THAT(BookSeries(plan, ana, first, &retried, "series-greta-1"), IsOk());
  EXPECT_EQ(retried.SerializeAsString(), booked.SerializeAsString());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 6);
  // The same key for another request is refused.
  v1::BookSeriesResponse other;
  EXPECT_THAT(BookSeries(plan, ana, first + absl::Hours(2), &other, "series-greta-1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A new key for the same sessions is a new request, and every week now conflicts.
  const grpc::Status again = BookSeries(plan, ana, first, &other, "series-greta-2");
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(again), "SLOT_CONFLICT");
  EXPECT_EQ(PreconditionDescriptions(again).size(), 6u);
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 6);
}

TEST_F(SchedulingServiceTest, OneConflictingWeekInTheMiddleBooksNothing) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  const std::string olav = records_.NewClient("Olav", "Officer", "0161 496 0102").name();
  const std::string plan = NewPlan(greta, "Knee pain after kneeling in the garden",
                                   common::v1::TECHNIQUE_TRIGGER_POINT, 7, 6, 60);
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  const Appointment olavs = MustBook(Slot(olav, ana, At(tuesday + 14, 10, 30), 30));

  v1::BookSeriesResponse out;
  const grpc::Status status = BookSeries(plan, ana, At(tuesday, 10), &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "SLOT_CONFLICT");
  EXPECT_THAT(
      PreconditionDescriptions(status),
      ElementsAre(AllOf(HasSubstr(absl::FormatCivilTime(tuesday + 14)), HasSubstr(olavs.name()))));
  EXPECT_THAT(out.appointments(), IsEmpty());

  v1::ListAppointmentsRequest by_ana;
  by_ana.set_therapist(ana);
  EXPECT_THAT(ListAll(by_ana, 50), ElementsAre(olavs.name()));
  v1::ListAppointmentsRequest by_greta;
  by_greta.set_client(greta);
  EXPECT_THAT(ListAll(by_greta, 50), IsEmpty());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 1);

  // Once the week is free, the same series books.
  Appointment cancelled;
  ASSERT_THAT(Cancel(olavs.name(), "Client moved away", &cancelled), IsOk());
  ASSERT_THAT(BookSeries(plan, ana, At(tuesday, 10), &out), IsOk());
  EXPECT_EQ(out.appointments_size(), 6);
}

TEST_F(SchedulingServiceTest, EveryFailingSessionDateIsListed) {
  // Ana works Monday to Saturday; Bo every day.
  std::vector<v1::WorkingHours> weekdays;
  for (int day = google::type::MONDAY; day <= google::type::SATURDAY; ++day) {
    weekdays.push_back(Hours(static_cast<google::type::DayOfWeek>(day), Clock(9, 0), Clock(17, 0)));
  }
  const std::string ana = NewTherapist("ana", "Ana Costa", weekdays);
  const std::string bo = NewTherapist("bo", "Bo Berg");
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  const std::string olav = records_.NewClient("Olav", "Officer", "0161 496 0102").name();
  // Every 3 days from a Tuesday: Tue, Fri, Mon, Thu, Sun, Wed.
  const std::string plan = NewPlan(greta, "Knee pain after kneeling in the garden",
                                   common::v1::TECHNIQUE_TRIGGER_POINT, 3, 6, 60);
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  // Ana is taken on the Friday; Greta herself on the Thursday; Ana does not work Sundays.
  const Appointment olavs = MustBook(Slot(olav, ana, At(tuesday + 3, 10), 60));
  const Appointment gretas = MustBook(Slot(greta, bo, At(tuesday + 9, 10, 45), 30));

  v1::BookSeriesResponse out;
  const grpc::Status status = BookSeries(plan, ana, At(tuesday, 10), &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "SLOT_CONFLICT");
  EXPECT_THAT(
      PreconditionDescriptions(status),
      ElementsAre(
          AllOf(HasSubstr(absl::FormatCivilTime(tuesday + 3)), HasSubstr(olavs.name())),
          AllOf(HasSubstr(absl::FormatCivilTime(tuesday + 9)), HasSubstr(gretas.name())),
          AllOf(HasSubstr(absl::FormatCivilTime(tuesday + 12)), HasSubstr("working hours"))));
  // Each problem's subject is the local start of the session that cannot be booked.
  EXPECT_THAT(PreconditionSubjects(status),
              ElementsAre(absl::FormatCivilTime(tuesday + 3) + " 10:00",
                          absl::FormatCivilTime(tuesday + 9) + " 10:00",
                          absl::FormatCivilTime(tuesday + 12) + " 10:00"));
  // Each problem's type says what kind it is; the conflicts are also data, one per failing
  // session and conflicting appointment.
  std::vector<std::string> types;
  for (const auto& violation : test::PreconditionViolations(status)) {
    types.push_back(violation.type());
  }
  EXPECT_THAT(types, ElementsAre("SLOT_CONFLICT", "SLOT_CONFLICT", "HOURS"));
  EXPECT_THAT(SlotConflicts(status), ElementsAre(ConflictWith(olavs, At(tuesday + 3, 10)),
                                                 ConflictWith(gretas, At(tuesday + 9, 10))));
  EXPECT_THAT(out.appointments(), IsEmpty());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 2);
}

// SLOT_CONFLICT promises SlotConflict details: a series refused only for working hours says so.
TEST_F(SchedulingServiceTest, ASeriesRefusedOnlyForWorkingHoursHasThatReason) {
  std::vector<v1::WorkingHours> weekdays;
  for (int day = google::type::MONDAY; day <= google::type::SATURDAY; ++day) {
    weekdays.push_back(Hours(static_cast<google::type::DayOfWeek>(day), Clock(9, 0), Clock(17, 0)));
  }
  const std::string ana = NewTherapist("ana", "Ana Costa", weekdays);
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  // Every 3 days from a Tuesday: Tue, Fri, Mon, Thu, Sun, Wed; Ana does not work Sundays.
  const std::string plan = NewPlan(greta, "Knee pain after kneeling in the garden",
                                   common::v1::TECHNIQUE_TRIGGER_POINT, 3, 6, 60);
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);

  v1::BookSeriesResponse out;
  const grpc::Status status = BookSeries(plan, ana, At(tuesday, 10), &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "OUTSIDE_WORKING_HOURS");
  EXPECT_THAT(PreconditionSubjects(status),
              ElementsAre(absl::FormatCivilTime(tuesday + 12) + " 10:00"));
  EXPECT_THAT(SlotConflicts(status), IsEmpty());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
}

// The named case: the gardener's six weekly trigger point sessions and the office worker's four
// fortnightly ones, starting the same Tuesday at 10:00 with two therapists.
TEST_F(SchedulingServiceTest, TheFrontDeskBooksTheGardenerAndTheOfficeWorkerSeries) {
  const std::string ana =
      NewTherapist("ana", "Ana Costa", EveryDay(9, 17),
                   {common::v1::TECHNIQUE_DEEP_TISSUE, common::v1::TECHNIQUE_TRIGGER_POINT});
  const std::string bo =
      NewTherapist("bo", "Bo Berg", EveryDay(9, 17), {common::v1::TECHNIQUE_MYOFASCIAL_RELEASE});
  const std::string greta = records_.NewClient("Greta", "Gardner", "0161 496 0101").name();
  const std::string olav = records_.NewClient("Olav", "Officer", "0161 496 0102").name();
  const std::string gardener = NewPlan(greta, "Knee pain after kneeling in the garden",
                                       common::v1::TECHNIQUE_TRIGGER_POINT, 7, 6, 60);
  const std::string office = NewPlan(olav, "Stiff knees after sitting at a desk all day",
                                     common::v1::TECHNIQUE_MYOFASCIAL_RELEASE, 14, 4, 45);
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);

  // Who offers trigger point therapy at 10:00 on Tuesday?
  v1::FindAvailableSlotsRequest find;
  find.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  *find.mutable_start_time() = TimestampOf(At(tuesday, 10));
  *find.mutable_end_time() = TimestampOf(At(tuesday, 11));
  find.set_duration_minutes(60);
  v1::FindAvailableSlotsResponse found;
  ASSERT_THAT(FindSlots(find, &found), IsOk());
  ASSERT_EQ(found.slots_size(), 1);
  const std::string trigger_point = found.slots(0).therapist();
  EXPECT_EQ(trigger_point, ana);

  v1::BookSeriesResponse gardener_series;
  ASSERT_THAT(BookSeries(gardener, trigger_point, At(tuesday, 10), &gardener_series), IsOk());
  v1::BookSeriesResponse office_series;
  ASSERT_THAT(BookSeries(office, bo, At(tuesday, 10), &office_series), IsOk());
  std::vector<std::string> expected;
  for (int week = 0; week < 6; ++week) {
    expected.push_back(
        absl::StrCat(ana, " ", greta, " ", absl::FormatCivilTime(tuesday + 7 * week), " 10:00 60"));
  }
  EXPECT_THAT(Sessions(gardener_series.appointments(), zone_), ElementsAreArray(expected));
  expected.clear();
  for (int fortnight = 0; fortnight < 4; ++fortnight) {
    expected.push_back(absl::StrCat(bo, " ", olav, " ",
                                    absl::FormatCivilTime(tuesday + 14 * fortnight), " 10:00 45"));
  }
  EXPECT_THAT(Sessions(office_series.appointments(), zone_), ElementsAreArray(expected));
  for (const Appointment& appointment : gardener_series.appointments()) {
    EXPECT_EQ(appointment.plan(), gardener);
  }
  for (const Appointment& appointment : office_series.appointments()) {
    EXPECT_EQ(appointment.plan(), office);
  }

  // The first Tuesday's day sheet shows both; the second only the gardener; the third both.
  auto day_sheet = [&](absl::CivilDay day) {
    v1::ListAppointmentsRequest request;
    *request.mutable_start_time() = TimestampOf(At(day, 0));
    *request.mutable_end_time() = TimestampOf(At(day + 1, 0));
    v1::ListAppointmentsResponse response;
    EXPECT_THAT(List(request, &response), IsOk());
    std::vector<std::string> rows = Sessions(response.appointments(), zone_);
    for (int i = 0; i < response.appointments_size(); ++i) {
      EXPECT_EQ(response.appointments(i).state(), Appointment::STATE_BOOKED);
    }
    return rows;
  };
  const std::string first = absl::FormatCivilTime(tuesday);
  EXPECT_THAT(day_sheet(tuesday),
              UnorderedElementsAre(absl::StrCat(ana, " ", greta, " ", first, " 10:00 60"),
                                   absl::StrCat(bo, " ", olav, " ", first, " 10:00 45")));
  EXPECT_THAT(day_sheet(tuesday + 7),
              ElementsAre(absl::StrCat(ana, " ", greta, " ", absl::FormatCivilTime(tuesday + 7),
                                       " 10:00 60")));
  EXPECT_EQ(day_sheet(tuesday + 14).size(), 2u);
  // Trigger point at 10:00 that Tuesday is now taken.
  found.Clear();
  ASSERT_THAT(FindSlots(find, &found), IsOk());
  EXPECT_THAT(found.slots(), IsEmpty());
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 10);
}

// --- Free slots ---------------------------------------------------------------------------------

TEST_F(SchedulingServiceTest, FreeSlotsOfATherapistAreOnTheGridInsideHoursAndClearOfBookings) {
  const std::string ana =
      NewTherapist("ana", "Ana Costa", {Hours(google::type::TUESDAY, Clock(9, 0), Clock(13, 0))});
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  MustBook(Slot(greta, ana, At(tuesday, 9, 30), 30));
  const Appointment checked_in = MustBook(Slot(greta, ana, At(tuesday, 11), 15));
  Appointment out;
  ASSERT_THAT(CheckIn(checked_in.name(), &out), IsOk());
  const Appointment later = MustBook(Slot(greta, ana, At(tuesday, 12), 30));
  auto at = [&](const std::string& hhmm) { return absl::StrCat(ana, " ", hhmm); };

  // From 08:07 (rounded up to 08:15) to 14:00, an hour: only 10:00 fits between the bookings.
  EXPECT_THAT(FreeStarts(ana, {}, At(tuesday, 8, 7), At(tuesday, 14), 60),
              ElementsAre(at("10:00")));
  // A cancelled appointment frees its time; 12:00-13:00 ends exactly at the end of hours.
  ASSERT_THAT(Cancel(later.name(), "Client asked", &out), IsOk());
  EXPECT_THAT(FreeStarts(ana, {}, At(tuesday, 8, 7), At(tuesday, 14), 60),
              ElementsAre(at("10:00"), at("11:15"), at("11:30"), at("11:45"), at("12:00")));
  // The range start is rounded up to the grid (11:16 → 11:30, not 11:15 which is free), and a
  // session must end by the range end (12:15 + 30 min > 12:40).
  EXPECT_THAT(FreeStarts(ana, {}, At(tuesday, 11, 16), At(tuesday, 12, 40), 30),
              ElementsAre(at("11:30"), at("11:45"), at("12:00")));
  // Fifteen minutes: every quarter of 09:00-13:00 except 09:30, 09:45 and 11:00.
  EXPECT_EQ(FreeStarts(ana, {}, At(tuesday, 0), At(tuesday + 1, 0), 15).size(), 13u);
  // No hours on Wednesday, none on the next days either.
  EXPECT_THAT(FreeStarts(ana, {}, At(tuesday + 1, 0), At(tuesday + 7, 0), 15), IsEmpty());
  // The therapist role may search too.
  v1::FindAvailableSlotsRequest request;
  request.set_therapist(ana);
  *request.mutable_start_time() = TimestampOf(At(tuesday, 9));
  *request.mutable_end_time() = TimestampOf(At(tuesday, 10));
  request.set_duration_minutes(30);
  v1::FindAvailableSlotsResponse response;
  ASSERT_THAT(FindSlots(request, &response, Role::kTherapist), IsOk());
  ASSERT_EQ(response.slots_size(), 1);
  EXPECT_EQ(TimeOf(response.slots(0).start_time()), At(tuesday, 9));
}

TEST_F(SchedulingServiceTest, FreeSlotsByTechniqueComeFromActiveTherapistsOfferingIt) {
  const std::vector<v1::WorkingHours> tuesday_hours = {
      Hours(google::type::TUESDAY, Clock(9, 0), Clock(13, 0))};
  const std::string ana =
      NewTherapist("ana", "Ana Costa", tuesday_hours, {common::v1::TECHNIQUE_TRIGGER_POINT});
  const std::string bo =
      NewTherapist("bo", "Bo Berg", tuesday_hours,
                   {common::v1::TECHNIQUE_DEEP_TISSUE, common::v1::TECHNIQUE_TRIGGER_POINT});
  const std::string cy =
      NewTherapist("cy", "Cy Clarke", tuesday_hours, {common::v1::TECHNIQUE_MYOFASCIAL_RELEASE});
  const std::string dee =
      NewTherapist("dee", "Dee Dunmore", tuesday_hours, {common::v1::TECHNIQUE_TRIGGER_POINT});
  Deactivate(dee);
  const std::string greta = NewClient("Greta", "Gardner");
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  MustBook(Slot(greta, ana, At(tuesday, 9), 30));

  // Ordered by start, then therapist: Bo's earlier starts come before Ana's.
  EXPECT_THAT(
      FreeStarts("", common::v1::TECHNIQUE_TRIGGER_POINT, At(tuesday, 9), At(tuesday, 10, 30), 60),
      ElementsAre(bo + " 09:00", bo + " 09:15", ana + " 09:30", bo + " 09:30"));
  EXPECT_THAT(
      FreeStarts("", common::v1::TECHNIQUE_MYOFASCIAL_RELEASE, At(tuesday, 9), At(tuesday, 10), 60),
      ElementsAre(cy + " 09:00"));
  EXPECT_THAT(
      FreeStarts("", common::v1::TECHNIQUE_DEEP_TISSUE, At(tuesday, 12), At(tuesday, 13), 60),
      ElementsAre(bo + " 12:00"));
  // An inactive therapist has no free time, even when named.
  EXPECT_THAT(FreeStarts(dee, {}, At(tuesday, 9), At(tuesday, 13), 60), IsEmpty());
}

TEST_F(SchedulingServiceTest, BadSlotSearchesNameTheField) {
  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(0, 24));
  const absl::CivilDay tuesday = Next(absl::Weekday::tuesday);
  auto search = [&](const std::string& therapist, int technique, absl::Time from, absl::Time to,
                    int minutes) {
    v1::FindAvailableSlotsRequest request;
    request.set_therapist(therapist);
    request.set_technique(static_cast<common::v1::Technique>(technique));
    *request.mutable_start_time() = TimestampOf(from);
    *request.mutable_end_time() = TimestampOf(to);
    request.set_duration_minutes(minutes);
    v1::FindAvailableSlotsResponse response;
    return FindSlots(request, &response);
  };
  const absl::Time nine = At(tuesday, 9);
  const absl::Time five = At(tuesday, 17);
  const int trigger = common::v1::TECHNIQUE_TRIGGER_POINT;
  struct Case {
    std::string what;
    grpc::Status status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"neither", search("", 0, nine, five, 60), "therapist"},
      {"both", search(ana, trigger, nine, five, 60), "therapist"},
      {"end before start", search(ana, 0, five, nine, 60), "end_time"},
      {"empty range", search(ana, 0, nine, nine, 60), "end_time"},
      {"31 days and a minute",
       search(ana, 0, nine, nine + absl::Hours(24 * 31) + absl::Minutes(1), 60), "end_time"},
      {"14 minutes", search(ana, 0, nine, five, 14), "duration_minutes"},
      {"181 minutes", search(ana, 0, nine, five, 181), "duration_minutes"},
      {"no duration", search(ana, 0, nine, five, 0), "duration_minutes"},
      {"unknown technique", search("", 99, nine, five, 60), "technique"},
      {"bad therapist name", search("ana", 0, nine, five, 60), "therapist"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(c.status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.what;
    EXPECT_THAT(ViolatedFields(c.status), ElementsAre(c.field)) << c.what;
  }
  EXPECT_THAT(search("therapists/mallory", 0, nine, five, 60),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("therapists/mallory")));
  // The edges are allowed: exactly 31 days, 15 and 180 minutes.
  EXPECT_THAT(search(ana, 0, nine, nine + absl::Hours(24 * 31), 15), IsOk());
  EXPECT_THAT(search(ana, 0, nine, five, 180), IsOk());
}

// --- Access -------------------------------------------------------------------------------------

// Every built scheduling method × every role, plus callers without a valid token. Allowed roles
// get past authorization (to NOT_FOUND or INVALID_ARGUMENT: nothing is stored); the others get
// PERMISSION_DENIED before existence is checked, and every refusal is audited.
TEST_F(SchedulingServiceTest, EveryMethodAndRoleFollowsTheAccessTable) {
  const std::string absent = std::string(kAbsentAppointment);
  const absl::Time future = At(Next(absl::Weekday::tuesday), 10);
  Therapist therapist_out;
  Appointment out;
  v1::ListTherapistsResponse therapists_out;
  v1::ListAppointmentsResponse appointments_out;
  const std::set<Role> everyone(std::begin(test::kAllRoles), std::end(test::kAllRoles));
  const std::vector<test::AccessRow> rows = {
      {"CreateTherapist",
       {Role::kAdmin},
       absl::StatusCode::kInvalidArgument,
       [&](grpc::ClientContext* c) {
         v1::CreateTherapistRequest r;
         r.set_therapist_id("Not-Valid");
         return stub_->CreateTherapist(c, r, &therapist_out);
       }},
      {"GetTherapist", everyone, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::GetTherapistRequest r;
         r.set_name("therapists/mallory");
         return stub_->GetTherapist(c, r, &therapist_out);
       }},
      {"UpdateTherapist",
       {Role::kAdmin},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::UpdateTherapistRequest r;
         r.mutable_therapist()->set_name("therapists/mallory");
         r.mutable_update_mask()->add_paths("active");
         return stub_->UpdateTherapist(c, r, &therapist_out);
       }},
      {"ListTherapists", everyone, absl::StatusCode::kInvalidArgument,
       [&](grpc::ClientContext* c) {
         v1::ListTherapistsRequest r;
         r.set_page_size(-1);
         return stub_->ListTherapists(c, r, &therapists_out);
       }},
      {"BookAppointment",
       {Role::kFrontDesk},
       absl::StatusCode::kInvalidArgument,
       [&](grpc::ClientContext* c) {
         v1::BookAppointmentRequest r;
         return stub_->BookAppointment(c, r, &out);
       }},
      {"BookSeries",
       {Role::kFrontDesk},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::BookSeriesRequest r;
         r.set_plan(absl::StrCat(kAbsentClient, "/plans/bbbbbbbbbbbbbbbbbbbbbbbb"));
         r.set_therapist("therapists/mallory");
         *r.mutable_first_start_time() = TimestampOf(future);
         v1::BookSeriesResponse series_out;
         return stub_->BookSeries(c, r, &series_out);
       }},
      {"FindAvailableSlots",
       {Role::kFrontDesk, Role::kTherapist},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::FindAvailableSlotsRequest r;
         r.set_therapist("therapists/mallory");
         *r.mutable_start_time() = TimestampOf(future);
         *r.mutable_end_time() = TimestampOf(future + absl::Hours(8));
         r.set_duration_minutes(60);
         v1::FindAvailableSlotsResponse slots_out;
         return stub_->FindAvailableSlots(c, r, &slots_out);
       }},
      {"GetAppointment",
       {Role::kFrontDesk, Role::kTherapist, Role::kService},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::GetAppointmentRequest r;
         r.set_name(absent);
         return stub_->GetAppointment(c, r, &out);
       }},
      {"ListAppointments",
       {Role::kFrontDesk, Role::kTherapist},
       absl::StatusCode::kInvalidArgument,
       [&](grpc::ClientContext* c) {
         v1::ListAppointmentsRequest r;
         r.set_page_size(-1);
         return stub_->ListAppointments(c, r, &appointments_out);
       }},
      {"RescheduleAppointment",
       {Role::kFrontDesk},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::RescheduleAppointmentRequest r;
         r.set_name(absent);
         *r.mutable_start_time() = TimestampOf(future);
         return stub_->RescheduleAppointment(c, r, &out);
       }},
      {"CancelAppointment",
       {Role::kFrontDesk},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CancelAppointmentRequest r;
         r.set_name(absent);
         r.set_reason("Client asked");
         return stub_->CancelAppointment(c, r, &out);
       }},
      {"CheckInAppointment",
       {Role::kFrontDesk, Role::kTherapist},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CheckInAppointmentRequest r;
         r.set_name(absent);
         return stub_->CheckInAppointment(c, r, &out);
       }},
      {"MarkNoShow",
       {Role::kFrontDesk},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::MarkNoShowRequest r;
         r.set_name(absent);
         return stub_->MarkNoShow(c, r, &out);
       }},
      {"CompleteAppointment",
       {Role::kTherapist, Role::kService},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CompleteAppointmentRequest r;
         r.set_name(absent);
         return stub_->CompleteAppointment(c, r, &out);
       }},
  };
  EXPECT_EQ(test::WalkAccessTable(server_, "scheduling", kMethodPrefix, rows), 30);
  EXPECT_EQ(Count("SELECT count(*) FROM therapists"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM appointments"), 0);
}

// A role without the right learns nothing about which appointments exist, and changes nothing.
TEST_F(SchedulingServiceTest, ADeniedCallerCannotTellWhetherAnAppointmentExists) {
  const std::string ana = NewTherapist("ana", "Ana Costa");
  const std::string greta = NewClient("Greta", "Gardner");
  const Appointment booked = MustBook(Slot(greta, ana, At(Next(absl::Weekday::tuesday), 10), 60));
  auto cancel_as_therapist = [&](const std::string& name) {
    v1::CancelAppointmentRequest request;
    request.set_name(name);
    request.set_reason("Trying");
    Appointment out;
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    return stub_->CancelAppointment(&context, request, &out);
  };
  const grpc::Status on_existing = cancel_as_therapist(booked.name());
  const grpc::Status on_absent = cancel_as_therapist(std::string(kAbsentAppointment));
  EXPECT_THAT(on_existing, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(on_existing.error_message(), on_absent.error_message());
  EXPECT_EQ(MustGet(booked.name()).SerializeAsString(), booked.SerializeAsString());

  // Writes are audited with their resource; the denials without one.
  std::vector<std::string> rows;
  ASSERT_OK(server_.database("scheduling").Read([&](SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT principal, method, resource, code FROM audit_log ORDER BY seq");
    while (query.executeStep()) {
      rows.push_back(
          absl::StrCat(query.getColumn(0).getString(), " ", query.getColumn(1).getString(), " ",
                       query.getColumn(2).getString(), " ", query.getColumn(3).getInt()));
    }
    return VerifyAuditChain(db);
  }));
  EXPECT_THAT(
      rows,
      ElementsAre(absl::StrCat("admin ", kMethodPrefix, "CreateTherapist ", ana, " 0"),
                  absl::StrCat("desk-1 ", kMethodPrefix, "BookAppointment ", booked.name(), " 0"),
                  absl::StrCat("ana ", kMethodPrefix, "CancelAppointment  7"),
                  absl::StrCat("ana ", kMethodPrefix, "CancelAppointment  7")));
}

// --- Notes and scheduling -----------------------------------------------------------------------

// Signing a session note that names an appointment completes it, all in one process: intake →
// plans → notes → scheduling through their contracts.
class NotesAndSchedulingTest : public SchedulingServiceTest {
 protected:
  // A client with an ACTIVE plan (trigger point on both quadriceps, weekly × 6); returns
  // {client, plan}.
  std::pair<std::string, std::string> ClientWithActivePlan(const std::string& given,
                                                           const std::string& family) {
    intake::v1::CreateClientRequest create_client;
    create_client.mutable_client()->set_given_name(given);
    create_client.mutable_client()->set_family_name(family);
    create_client.mutable_client()->set_phone("0161 496 0888");
    intake::v1::Client client;
    {
      grpc::ClientContext context;
      server_.Prepare(context, Role::kTherapist);
      EXPECT_THAT(intake_->CreateClient(&context, create_client, &client), IsOk());
    }
    intake::v1::CreateAssessmentRequest create;
    create.set_parent(client.name());
    intake::v1::Assessment& assessment = *create.mutable_assessment();
    assessment.set_chief_complaint("Pain at the front of both knees after kneeling");
    *assessment.mutable_pain()->add_regions() = Quadriceps();
    assessment.mutable_pain()->set_current(6);
    assessment.set_health_screen_completed(true);
    assessment.mutable_consent()->set_informed_consent(true);
    assessment.mutable_consent()->set_signer_name(absl::StrCat(given, " ", family));
    intake::v1::Assessment created;
    {
      grpc::ClientContext context;
      server_.Prepare(context, Role::kTherapist);
      EXPECT_THAT(intake_->CreateAssessment(&context, create, &created), IsOk());
    }
    intake::v1::SubmitAssessmentRequest submit;
    submit.set_name(created.name());
    intake::v1::Assessment submitted;
    {
      grpc::ClientContext context;
      server_.Prepare(context, Role::kTherapist);
      EXPECT_THAT(intake_->SubmitAssessment(&context, submit, &submitted), IsOk());
    }
    plans::v1::CreatePlanRequest create_plan;
    create_plan.set_parent(client.name());
    plans::v1::TreatmentPlan& plan = *create_plan.mutable_plan();
    plan.set_assessment(submitted.name());
    plans::v1::Goal& goal = *plan.add_goals();
    goal.set_description("Kneel in the garden for an hour with pain at most 2");
    goal.set_target_pain(2);
    plans::v1::PlannedTechnique& technique = *plan.add_techniques();
    technique.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
    *technique.add_regions() = Quadriceps();
    technique.set_pressure(common::v1::PRESSURE_FIRM);
    technique.set_minutes(20);
    plan.mutable_cadence()->set_interval_days(7);
    plan.mutable_cadence()->set_planned_sessions(6);
    plan.mutable_cadence()->set_session_minutes(60);
    plans::v1::TreatmentPlan draft;
    {
      grpc::ClientContext context;
      server_.Prepare(context, Role::kTherapist);
      EXPECT_THAT(plans_->CreatePlan(&context, create_plan, &draft), IsOk());
    }
    plans::v1::ActivatePlanRequest activate;
    activate.set_name(draft.name());
    plans::v1::TreatmentPlan active;
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    EXPECT_THAT(plans_->ActivatePlan(&context, activate, &active), IsOk());
    EXPECT_EQ(active.state(), plans::v1::TreatmentPlan::STATE_ACTIVE);
    return {client.name(), active.name()};
  }

  static common::v1::Region Quadriceps() {
    common::v1::Region region;
    region.set_region(common::v1::BODY_REGION_QUADRICEPS);
    region.set_side(common::v1::SIDE_BILATERAL);
    return region;
  }

  // A session under `plan`, ready to sign, naming `appointment`.
  static notes::v1::SessionNote Session(const std::string& plan, const std::string& appointment) {
    notes::v1::SessionNote note;
    note.set_plan(plan);
    note.set_appointment(appointment);
    *note.mutable_session_time() = TimestampOf(absl::Now() - absl::Minutes(70));
    note.set_duration_minutes(60);
    note.mutable_subjective()->set_report("Knees less stiff; still sore after kneeling");
    note.mutable_subjective()->set_pain_before(5);
    notes::v1::AppliedTechnique& applied = *note.add_applied();
    applied.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
    *applied.add_regions() = Quadriceps();
    applied.set_pressure(common::v1::PRESSURE_FIRM);
    applied.set_minutes(20);
    note.mutable_assessment()->set_pain_after(3);
    note.mutable_assessment()->set_response("Tolerated trigger point work well");
    return note;
  }

  grpc::Status CreateNote(const std::string& client, const notes::v1::SessionNote& note,
                          notes::v1::SessionNote* out) {
    notes::v1::CreateNoteRequest request;
    request.set_parent(client);
    *request.mutable_note() = note;
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    return notes_->CreateNote(&context, request, out);
  }

  grpc::Status SignNote(const std::string& name, notes::v1::SessionNote* out) {
    notes::v1::SignNoteRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    return notes_->SignNote(&context, request, out);
  }
};

TEST_F(NotesAndSchedulingTest, SigningANoteNamingACheckedInAppointmentCompletesIt) {
  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(0, 24));
  const auto [greta, plan] = ClientWithActivePlan("Greta", "Gardner");
  const Appointment booked = MustBook(
      Slot(greta, ana, At(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1, 10), 60, plan));
  Appointment checked_in;
  ASSERT_THAT(CheckIn(booked.name(), &checked_in, "", Role::kTherapist), IsOk());

  notes::v1::SessionNote draft;
  ASSERT_THAT(CreateNote(greta, Session(plan, booked.name()), &draft), IsOk());
  EXPECT_EQ(draft.appointment(), booked.name());
  EXPECT_EQ(MustGet(booked.name()).state(), Appointment::STATE_CHECKED_IN);
  notes::v1::SessionNote signed_note;
  ASSERT_THAT(SignNote(draft.name(), &signed_note), IsOk());
  EXPECT_EQ(signed_note.state(), notes::v1::SessionNote::STATE_SIGNED);
  EXPECT_EQ(MustGet(booked.name()).state(), Appointment::STATE_COMPLETED);

  // Scheduling recorded the completion as the notes service's SERVICE principal.
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM audit_log WHERE principal = 'services' AND "
                               "method = '",
                               kMethodPrefix, "CompleteAppointment' AND resource = '",
                               booked.name(), "' AND code = 0")),
            1);
}

TEST_F(NotesAndSchedulingTest, ANoteCannotNameAnotherClientsAppointment) {
  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(0, 24));
  const auto [greta, plan] = ClientWithActivePlan("Greta", "Gardner");
  const std::string olav = NewClient("Olav", "Officer");
  const Appointment olavs =
      MustBook(Slot(olav, ana, At(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1, 10), 60));
  notes::v1::SessionNote out;
  const grpc::Status status = CreateNote(greta, Session(plan, olavs.name()), &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "APPOINTMENT_OF_ANOTHER_CLIENT");
  EXPECT_THAT(PreconditionSubjects(status), ElementsAre(olavs.name()));
  EXPECT_EQ(MustGet(olavs.name()).SerializeAsString(), olavs.SerializeAsString());
  // An appointment that does not exist is not found.
  EXPECT_THAT(CreateNote(greta, Session(plan, std::string(kAbsentAppointment)), &out),
              StatusIs(absl::StatusCode::kNotFound));
}

// The current choice: completing needs a check-in, so a note naming an appointment that was
// never checked in cannot be signed; the note stays a draft and the appointment BOOKED.
TEST_F(NotesAndSchedulingTest, ANoteNamingAnAppointmentNotCheckedInCannotBeSigned) {
  const std::string ana = NewTherapist("ana", "Ana Costa", EveryDay(0, 24));
  const auto [greta, plan] = ClientWithActivePlan("Greta", "Gardner");
  const Appointment booked = MustBook(
      Slot(greta, ana, At(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1, 10), 60, plan));
  notes::v1::SessionNote draft;
  ASSERT_THAT(CreateNote(greta, Session(plan, booked.name()), &draft), IsOk());
  notes::v1::SessionNote out;
  const grpc::Status status = SignNote(draft.name(), &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "INVALID_STATE_CHANGE");
  EXPECT_EQ(MustGet(booked.name()).state(), Appointment::STATE_BOOKED);
  notes::v1::GetNoteRequest get;
  get.set_name(draft.name());
  grpc::ClientContext context;
  server_.Prepare(context, Role::kTherapist);
  ASSERT_THAT(notes_->GetNote(&context, get, &out), IsOk());
  EXPECT_EQ(out.state(), notes::v1::SessionNote::STATE_DRAFT);
}

// --- Intake down --------------------------------------------------------------------------------

// Booking checks the client with intake first: with intake down, BookAppointment and BookSeries
// answer UNAVAILABLE naming it, and nothing is booked (DESIGN §2: a failed call leaves no
// half-written state).
TEST(SchedulingWithIntakeDownTest, BookingIsUnavailableNamingIntakeAndBooksNothing) {
  // Intake in one server, plans and scheduling in another that reaches it over loopback.
  auto intake = std::make_unique<ClinicServer>("intake");
  server::PeerOptions peers;
  peers.intake_target = absl::StrCat("127.0.0.1:", intake->port());
  const ClinicServer server("plans,scheduling", peers, absl::UTCTimeZone(), intake.get());
  auto prepare = [&server](grpc::ClientContext& context, Role role) {
    server.Prepare(context, role);
  };
  const test::ClinicRecords records(intake->channel(), server.channel(), prepare);
  const std::string client = records.NewClient("Greta", "Gardner", "0161 496 0555").name();
  const std::string plan_name =
      records
          .NewPlan(client,
                   records.NewAssessment(client, test::KneeAssessment("Sore knees", 5, "Greta G"))
                       .name(),
                   KneePlan(common::v1::TECHNIQUE_TRIGGER_POINT, 7, 3, 60))
          .name();
  ASSERT_FALSE(plan_name.empty());
  const auto stub = v1::SchedulingService::NewStub(server.channel());
  v1::CreateTherapistRequest create_therapist;
  create_therapist.set_therapist_id("ana");
  *create_therapist.mutable_therapist() =
      TherapistOf("Ana Costa", {common::v1::TECHNIQUE_TRIGGER_POINT}, EveryDay(9, 17));
  Therapist ana;
  {
    grpc::ClientContext context;
    server.Prepare(context, Role::kAdmin);
    ASSERT_THAT(stub->CreateTherapist(&context, create_therapist, &ana), IsOk());
  }

  intake.reset();  // Intake goes down; the tokens file the servers share stays.

  const absl::Time tuesday_ten = At(Next(absl::Weekday::tuesday), 10);
  v1::BookAppointmentRequest book;
  *book.mutable_appointment() = Slot(client, ana.name(), tuesday_ten, 60);
  Appointment booked;
  grpc::ClientContext book_context;
  server.Prepare(book_context, Role::kFrontDesk);
  EXPECT_THAT(stub->BookAppointment(&book_context, book, &booked),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake")));

  v1::BookSeriesRequest series;
  series.set_plan(plan_name);
  series.set_therapist(ana.name());
  *series.mutable_first_start_time() = TimestampOf(tuesday_ten);
  v1::BookSeriesResponse series_out;
  grpc::ClientContext series_context;
  server.Prepare(series_context, Role::kFrontDesk);
  EXPECT_THAT(stub->BookSeries(&series_context, series, &series_out),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake")));

  v1::ListAppointmentsRequest list;
  list.set_therapist(ana.name());
  v1::ListAppointmentsResponse listed;
  grpc::ClientContext list_context;
  server.Prepare(list_context, Role::kFrontDesk);
  ASSERT_THAT(stub->ListAppointments(&list_context, list, &listed), IsOk());
  EXPECT_THAT(listed.appointments(), IsEmpty());
  EXPECT_EQ(test::CountRows(server.database("scheduling"), "appointments"), 0);
}

}  // namespace
}  // namespace velknee::scheduling
