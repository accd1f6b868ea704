#include "clients/cli/slot_conflicts.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"
#include "common/status/details.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/loopback_server.h"
#include "tests/support/loopback_port.h"
#include "velknee/common/v1/error_details.pb.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee::cli {
namespace {

using Minute = absl::CivilMinute;

class SlotConflictTextTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &zone_)); }

  google::protobuf::Timestamp At(absl::CivilMinute local) const {
    google::protobuf::Timestamp stamp;
    stamp.set_seconds(absl::ToUnixSeconds(absl::FromCivil(local, zone_)));
    return stamp;
  }

  // Appointment `id` of Hazel with Ana, holding the slot asked for at `session`.
  common::v1::SlotConflict Conflict(absl::string_view id, absl::CivilMinute session,
                                    absl::CivilMinute start, int minutes) const {
    common::v1::SlotConflict conflict;
    *conflict.mutable_session_start_time() = At(session);
    conflict.set_appointment(absl::StrCat("appointments/", id));
    conflict.set_therapist("therapists/ana");
    conflict.set_client("clients/hazel");
    *conflict.mutable_start_time() = At(start);
    conflict.set_duration_minutes(minutes);
    return conflict;
  }

  absl::TimeZone zone_;
};

// Oskar asks for Ana at 10:30 on 1 December (GMT); Hazel holds 10:00-11:00.
TEST_F(SlotConflictTextTest, SaysWhoHoldsTheSlotAndWhenBelowTheErrorLine) {
  absl::Status taken = PreconditionFailed(
      "SLOT_CONFLICT", "the slot 2026-12-01 10:30 is taken",
      {{"SLOT_CONFLICT", "appointments/a1", "overlaps appointments/a1 of the same therapist"}});
  AddDetail(taken, Conflict("a1", Minute(2026, 12, 1, 10, 30), Minute(2026, 12, 1, 10, 0), 60));
  const grpc::Status status = ToGrpcStatus(taken);
  const PeopleNames names = {{"clients/hazel", "Hazel Thornbury"}, {"therapists/ana", "Ana Costa"}};
  EXPECT_EQ(SlotConflictText(status, zone_, names),
            ErrorLine(status) +
                "\n  2026-12-01 10:30 is taken: appointments/a1, Hazel Thornbury with Ana Costa, "
                "10:00\xE2\x80\x93"
                "11:00\n");
  // Without the names (none could be read) the people are their resource names.
  EXPECT_EQ(SlotConflictText(status, zone_, {}),
            ErrorLine(status) +
                "\n  2026-12-01 10:30 is taken: appointments/a1, clients/hazel with "
                "therapists/ana, 10:00\xE2\x80\x93"
                "11:00\n");
}

// The conflict lines come from the SlotConflict details: a server that words its message
// differently and sends no PreconditionFailure is shown the same, below its own message.
TEST_F(SlotConflictTextTest, ReadsTheConflictsFromTheDetailsNotFromTheMessage) {
  absl::Status taken = WithReason(
      absl::FailedPreconditionError("Slot unavailable (wording changed)"), "SLOT_CONFLICT");
  AddDetail(taken, Conflict("a1", Minute(2026, 12, 1, 10, 30), Minute(2026, 12, 1, 10, 0), 60));
  AddDetail(taken, Conflict("a2", Minute(2026, 12, 1, 10, 30), Minute(2026, 12, 1, 11, 0), 45));
  EXPECT_EQ(SlotConflictText(ToGrpcStatus(taken), zone_, {{"clients/hazel", "Hazel Thornbury"}}),
            "error: FAILED_PRECONDITION: Slot unavailable (wording changed)\n"
            "  2026-12-01 10:30 is taken: appointments/a1, Hazel Thornbury with therapists/ana, "
            "10:00\xE2\x80\x93"
            "11:00\n"
            "  2026-12-01 10:30 is taken: appointments/a2, Hazel Thornbury with therapists/ana, "
            "11:00\xE2\x80\x93"
            "11:45\n");
}

// A series: every failing session in order, conflicts from the details, other problems
// (outside working hours) from their violations.
TEST_F(SlotConflictTextTest, ASeriesListsEveryFailingSessionInOrder) {
  absl::Status refused = PreconditionFailed(
      "SLOT_CONFLICT", "no session was booked: 3 of 6 sessions cannot be booked",
      {{"SLOT_CONFLICT", "2026-12-04 10:00", "the slot 2026-12-04 10:00 is taken"},
       {"HOURS", "2026-12-06 10:00", "Sunday 2026-12-06 10:00 is outside Ana Costa's hours"},
       {"SLOT_CONFLICT", "2026-12-10 10:00", "the slot 2026-12-10 10:00 is taken"}});
  AddDetail(refused, Conflict("a1", Minute(2026, 12, 4, 10, 0), Minute(2026, 12, 4, 9, 30), 60));
  AddDetail(refused, Conflict("a2", Minute(2026, 12, 4, 10, 0), Minute(2026, 12, 4, 10, 30), 30));
  AddDetail(refused, Conflict("a3", Minute(2026, 12, 10, 10, 0), Minute(2026, 12, 10, 10, 45), 30));
  const grpc::Status status = ToGrpcStatus(refused);
  EXPECT_EQ(SlotConflictText(status, zone_, {}),
            ErrorLine(status) +
                "\n"
                "  2026-12-04 10:00 is taken: appointments/a1, clients/hazel with therapists/ana, "
                "09:30\xE2\x80\x93"
                "10:30\n"
                "  2026-12-04 10:00 is taken: appointments/a2, clients/hazel with therapists/ana, "
                "10:30\xE2\x80\x93"
                "11:00\n"
                "  2026-12-06 10:00: Sunday 2026-12-06 10:00 is outside Ana Costa's hours\n"
                "  2026-12-10 10:00 is taken: appointments/a3, clients/hazel with therapists/ana, "
                "10:45\xE2\x80\x93"
                "11:15\n");
}

// A series refused only for working hours still names each failing session: the error line
// alone does not say which dates to move.
TEST_F(SlotConflictTextTest, ASeriesWithoutConflictsStillListsEveryFailingSession) {
  const grpc::Status outside = ToGrpcStatus(PreconditionFailed(
      "OUTSIDE_WORKING_HOURS", "no session was booked: 2 of 6 sessions cannot be booked",
      {{"HOURS", "2026-12-06 10:00", "Sunday 2026-12-06 10:00 is outside Ana Costa's hours"},
       {"HOURS", "2026-12-13 10:00", "Sunday 2026-12-13 10:00 is outside Ana Costa's hours"}}));
  EXPECT_EQ(SlotConflictText(outside, zone_, {}, Refused::kSeries),
            ErrorLine(outside) +
                "\n"
                "  2026-12-06 10:00: Sunday 2026-12-06 10:00 is outside Ana Costa's hours\n"
                "  2026-12-13 10:00: Sunday 2026-12-13 10:00 is outside Ana Costa's hours\n");
  EXPECT_EQ(SlotConflictText(outside, zone_, {}, Refused::kAppointment), ErrorLine(outside) + "\n");
}

TEST_F(SlotConflictTextTest, AConflictStartingTheDayBeforeShowsItsDate) {
  absl::Status taken = WithReason(absl::FailedPreconditionError("taken"), "SLOT_CONFLICT");
  AddDetail(taken, Conflict("a1", Minute(2026, 12, 2, 0, 15), Minute(2026, 12, 1, 23, 30), 90));
  EXPECT_EQ(SlotConflictText(ToGrpcStatus(taken), zone_, {}),
            "error: FAILED_PRECONDITION: taken\n"
            "  2026-12-02 00:15 is taken: appointments/a1, clients/hazel with therapists/ana, "
            "2026-12-01 23:30\xE2\x80\x93"
            "01:00\n");
}

TEST_F(SlotConflictTextTest, OtherErrorsAreTheOneErrorLine) {
  const grpc::Status outside = ToGrpcStatus(PreconditionFailed(
      "OUTSIDE_WORKING_HOURS", "cannot book",
      {{"HOURS", "therapists/ana", "Sunday 2026-12-06 10:00 is outside Ana Costa's hours"}}));
  EXPECT_EQ(SlotConflictText(outside, zone_, {}), ErrorLine(outside) + "\n");
  const grpc::Status missing(grpc::StatusCode::NOT_FOUND, "appointments/a9 does not exist");
  EXPECT_EQ(SlotConflictText(missing, zone_, {}),
            "error: NOT_FOUND: appointments/a9 does not exist\n");
}

TEST_F(SlotConflictTextTest, EachConflictStaysOneLineWhateverTheServerSends) {
  absl::Status taken = WithReason(absl::FailedPreconditionError("taken"), "SLOT_CONFLICT");
  common::v1::SlotConflict conflict =
      Conflict("a1", Minute(2026, 12, 1, 10, 30), Minute(2026, 12, 1, 10, 0), 60);
  conflict.set_appointment("appointments/a1\nerror: OK");
  AddDetail(taken, conflict);
  const std::string text =
      SlotConflictText(ToGrpcStatus(taken), zone_, {{"clients/hazel", "Hazel\nThornbury"}});
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
}

// An intake service that knows Hazel and Oskar, or refuses every lookup; records whom it was
// asked for.
class FakeIntake final : public intake::v1::IntakeService::Service {
 public:
  explicit FakeIntake(bool refuse) : refuse_(refuse) {}

  grpc::Status GetClient(grpc::ServerContext*, const intake::v1::GetClientRequest* request,
                         intake::v1::Client* response) override {
    absl::MutexLock lock(&mu_);
    asked_.push_back(request->name());
    if (refuse_) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not for you");
    response->set_name(request->name());
    response->set_given_name(request->name() == "clients/hazel" ? "Hazel" : "Oskar");
    response->set_family_name(request->name() == "clients/hazel" ? "Thornbury" : "Lindqvist");
    return grpc::Status::OK;
  }

  std::vector<std::string> asked() {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

 private:
  const bool refuse_;
  absl::Mutex mu_;
  std::vector<std::string> asked_ ABSL_GUARDED_BY(mu_);
};

// The names are read at intake (a fake on loopback) and at scheduling, which is down: nothing
// listens at --scheduling_target.
class LookUpPeopleTest : public SlotConflictTextTest {
 protected:
  // Two conflicts naming different people: Hazel with Ana, then Oskar with Bo.
  grpc::Status TwoConflicts() const {
    absl::Status taken = WithReason(absl::FailedPreconditionError("taken"), "SLOT_CONFLICT");
    AddDetail(taken, Conflict("a1", Minute(2026, 12, 1, 10, 30), Minute(2026, 12, 1, 10, 0), 60));
    common::v1::SlotConflict oskar =
        Conflict("a2", Minute(2026, 12, 1, 10, 30), Minute(2026, 12, 1, 11, 0), 45);
    oskar.set_client("clients/oskar");
    oskar.set_therapist("therapists/bo");
    AddDetail(taken, oskar);
    return ToGrpcStatus(taken);
  }

  // LookUpPeopleInConflicts(TwoConflicts()) against `intake`.
  PeopleNames LookUp(FakeIntake& intake) {
    LoopbackServer server(intake, "vkt_test_token");
    if (!server.started()) {
      ADD_FAILURE() << "the fake intake service did not start";
      return {};
    }
    const int down = test::UnusedLoopbackPort();
    EXPECT_NE(down, 0);
    absl::SetFlag(&FLAGS_scheduling_target, absl::StrCat("127.0.0.1:", down));
    absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::OpenFromFlags();
    if (!connection.ok()) {
      ADD_FAILURE() << connection.status();
      return {};
    }
    return LookUpPeopleInConflicts(TwoConflicts(), **connection);
  }

  absl::FlagSaver flag_saver_;
};

TEST_F(LookUpPeopleTest, ARefusedLookupStopsTheLookupsAndShowsResourceNames) {
  FakeIntake intake(/*refuse=*/true);
  const PeopleNames names = LookUp(intake);
  EXPECT_THAT(names, ::testing::IsEmpty());
  // Oskar is not asked for after Hazel's lookup was refused.
  EXPECT_THAT(intake.asked(), ::testing::ElementsAre("clients/hazel"));
  EXPECT_THAT(SlotConflictText(TwoConflicts(), zone_, names),
              ::testing::HasSubstr("appointments/a2, clients/oskar with therapists/bo"));
}

TEST_F(LookUpPeopleTest, AServiceThatIsDownStopsTheLookupsAndShowsResourceNames) {
  FakeIntake intake(/*refuse=*/false);
  const PeopleNames names = LookUp(intake);
  // Hazel was read; Ana's lookup found scheduling down, so nobody else was looked up.
  EXPECT_EQ(names, (PeopleNames{{"clients/hazel", "Hazel Thornbury"}}));
  EXPECT_THAT(intake.asked(), ::testing::ElementsAre("clients/hazel"));
  EXPECT_EQ(SlotConflictText(TwoConflicts(), zone_, names),
            "error: FAILED_PRECONDITION: taken\n"
            "  2026-12-01 10:30 is taken: appointments/a1, Hazel Thornbury with therapists/ana, "
            "10:00\xE2\x80\x93"
            "11:00\n"
            "  2026-12-01 10:30 is taken: appointments/a2, clients/oskar with therapists/bo, "
            "11:00\xE2\x80\x93"
            "11:45\n");
}

}  // namespace
}  // namespace velknee::cli
