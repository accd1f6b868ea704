#include "clients/cli/booking_commands.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/appointment_text.h"
#include "clients/cli/dates.h"
#include "clients/cli/output.h"
#include "clients/cli/slot_conflicts.h"
#include "clients/cli/therapist_commands.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(int32_t, duration, 0,
          "Session length in minutes; by default 60 for a booking, the current length for a "
          "reschedule.");
ABSL_FLAG(TextFlag, start, {}, "The local start, \"YYYY-MM-DD HH:MM\".");

namespace velknee::cli {
namespace {

using scheduling::v1::Appointment;
using scheduling::v1::SchedulingService;

constexpr char kAppointmentName[] = "appointments/ID";
constexpr char kAppointmentMeaning[] = "the appointment's resource name";

class BookingRunner : public CommandRunner {
 public:
  BookingRunner(const CommandIo& io, const Connection& connection, absl::TimeZone zone)
      : CommandRunner(io, connection),
        zone_(zone),
        stub_(SchedulingService::NewStub(connection.channel(Service::kScheduling))) {}

  int Book(scheduling::v1::BookAppointmentRequest request) {
    request.set_request_id(RequestIdFromFlag());
    Appointment booked;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->BookAppointment(context, request, &booked);
    });
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) return SlotFailure(status);
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    return Print(booked, AppointmentBlock(booked, zone_));
  }

  int BookSeries(scheduling::v1::BookSeriesRequest request) {
    request.set_request_id(RequestIdFromFlag());
    scheduling::v1::BookSeriesResponse booked;
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->BookSeries(context, request, &booked); });
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      return SlotFailure(status, Refused::kSeries);
    }
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    std::string out =
        absl::StrCat("Booked ", booked.appointments_size(), " sessions of ", request.plan(), ":\n");
    std::vector<std::vector<std::string>> rows;
    for (const Appointment& a : booked.appointments()) {
      rows.push_back({absl::FormatTime("%a %Y-%m-%d %H:%M", FromTimestamp(a.start_time()), zone_),
                      absl::StrCat(a.duration_minutes(), " min"), a.therapist(), a.name()});
    }
    absl::StrAppend(&out, AlignedTable({"START", "LENGTH", "THERAPIST", "APPOINTMENT"}, rows));
    return Print(booked, out);
  }

  int Reschedule(scheduling::v1::RescheduleAppointmentRequest request) {
    return Change([&](grpc::ClientContext* c, Appointment* a) {
      return stub_->RescheduleAppointment(c, request, a);
    });
  }
  int Cancel(scheduling::v1::CancelAppointmentRequest request) {
    return Change([&](grpc::ClientContext* c, Appointment* a) {
      return stub_->CancelAppointment(c, request, a);
    });
  }
  int CheckIn(scheduling::v1::CheckInAppointmentRequest request) {
    return Change([&](grpc::ClientContext* c, Appointment* a) {
      return stub_->CheckInAppointment(c, request, a);
    });
  }
  int NoShow(scheduling::v1::MarkNoShowRequest request) {
    return Change(
        [&](grpc::ClientContext* c, Appointment* a) { return stub_->MarkNoShow(c, request, a); });
  }

 private:
  // The error line and, for a slot conflict, who holds the slot and when. kExitCallFailed.
  int SlotFailure(const grpc::Status& status, Refused refused = Refused::kAppointment) const {
    io_.err << SlotConflictText(status, zone_, LookUpPeopleInConflicts(status, connection_),
                                refused);
    return kExitCallFailed;
  }

  template <typename Call>
  int Change(Call call) {
    Appointment changed;
    grpc::Status status = call(connection_.NewCallContext().get(), &changed);
    if (!status.ok()) return SlotFailure(status);  // Only a reschedule can conflict.
    return Print(changed, AppointmentBlock(changed, zone_));
  }

  const absl::TimeZone zone_;
  const std::unique_ptr<SchedulingService::Stub> stub_;
};

// Runs `body` with --start read in the clinic's zone and the connection
// open; a usage error line and kExitUsage when either is wrong.
int WithStart(const CommandIo& io,
              absl::FunctionRef<int(BookingRunner&, const google::protobuf::Timestamp&)> body) {
  absl::StatusOr<absl::TimeZone> zone = TimeZoneFromFlag();
  if (!zone.ok()) return UsageError(io, zone.status().message());
  absl::StatusOr<google::protobuf::Timestamp> start =
      ParseLocalTime(absl::GetFlag(FLAGS_start).value, *zone, "--start");
  if (!start.ok()) return UsageError(io, start.status().message());
  return WithConnection(io, [&](const Connection& connection) {
    BookingRunner runner(io, connection, *zone);
    return body(runner, *start);
  });
}

int BookOne(const Invocation&, const CommandIo& io) {
  absl::StatusOr<int32_t> duration = SessionMinutesFromFlag();
  if (!duration.ok()) return UsageError(io, duration.status().message());
  return WithStart(io, [&](BookingRunner& runner, const google::protobuf::Timestamp& start) {
    scheduling::v1::BookAppointmentRequest request;
    Appointment* a = request.mutable_appointment();
    a->set_client(ClientName(absl::GetFlag(FLAGS_client).value));
    a->set_therapist(absl::GetFlag(FLAGS_therapist).value);
    a->set_plan(absl::GetFlag(FLAGS_plan).value);
    *a->mutable_start_time() = start;
    a->set_duration_minutes(*duration == 0 ? kDefaultSessionMinutes : *duration);
    return runner.Book(std::move(request));
  });
}

int BookPlanSeries(const Invocation&, const CommandIo& io) {
  return WithStart(io, [&](BookingRunner& runner, const google::protobuf::Timestamp& start) {
    scheduling::v1::BookSeriesRequest request;
    request.set_plan(absl::GetFlag(FLAGS_plan).value);
    request.set_therapist(absl::GetFlag(FLAGS_therapist).value);
    *request.mutable_first_start_time() = start;
    return runner.BookSeries(std::move(request));
  });
}

int RescheduleOne(const Invocation& invocation, const CommandIo& io) {
  absl::StatusOr<int32_t> duration = SessionMinutesFromFlag();
  if (!duration.ok()) return UsageError(io, duration.status().message());
  return WithStart(io, [&](BookingRunner& runner, const google::protobuf::Timestamp& start) {
    scheduling::v1::RescheduleAppointmentRequest request;
    request.set_name(invocation.name);
    *request.mutable_start_time() = start;
    request.set_duration_minutes(*duration);
    request.set_etag(absl::GetFlag(FLAGS_etag).value);
    return runner.Reschedule(std::move(request));
  });
}

}  // namespace

FlagSpec DurationFlag() { return {"duration", "MIN"}; }

absl::StatusOr<int32_t> SessionMinutesFromFlag() {
  const int32_t duration = absl::GetFlag(FLAGS_duration);
  if (duration < 0) return absl::InvalidArgumentError("--duration: must be positive");
  return duration;
}

void RegisterBookingCommands(CommandRegistry& registry) {
  const FlagSpec start = {"start", "\"YYYY-MM-DD HH:MM\"", true};
  const FlagSpec therapist = {"therapist", "therapists/ID", true};
  registry.Add({{"book"},
                "book one appointment",
                "",
                "",
                {ClientFlag(/*required=*/true), therapist, start, DurationFlag(), PlanFlag(),
                 RequestIdFlag(), TimeZoneFlag()},
                BookOne});
  registry.Add({{"book-series"},
                "book every session of a treatment plan, all or nothing",
                "",
                "",
                {PlanFlag(/*required=*/true), therapist, start, RequestIdFlag(), TimeZoneFlag()},
                BookPlanSeries});
  registry.Add({{"reschedule"},
                "move an appointment",
                kAppointmentName,
                kAppointmentMeaning,
                {start, DurationFlag(), EtagFlag(), TimeZoneFlag()},
                RescheduleOne});
  registry.Add(
      {{"cancel"},
       "cancel an appointment",
       kAppointmentName,
       kAppointmentMeaning,
       {{"reason", "TEXT", true, "why the appointment is cancelled"}, EtagFlag(), TimeZoneFlag()},
       OnNamedRecord<BookingRunner>([](BookingRunner& runner, const std::string& name) {
         scheduling::v1::CancelAppointmentRequest request;
         request.set_name(name);
         request.set_reason(absl::GetFlag(FLAGS_reason).value);
         request.set_etag(absl::GetFlag(FLAGS_etag).value);
         return runner.Cancel(std::move(request));
       })});
  registry.Add({{"checkin"},
                "check a client in for their appointment",
                kAppointmentName,
                kAppointmentMeaning,
                {EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<BookingRunner>([](BookingRunner& runner, const std::string& name) {
                  scheduling::v1::CheckInAppointmentRequest request;
                  request.set_name(name);
                  request.set_etag(absl::GetFlag(FLAGS_etag).value);
                  return runner.CheckIn(std::move(request));
                })});
  registry.Add({{"noshow"},
                "mark an appointment as a no-show",
                kAppointmentName,
                kAppointmentMeaning,
                {EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<BookingRunner>([](BookingRunner& runner, const std::string& name) {
                  scheduling::v1::MarkNoShowRequest request;
                  request.set_name(name);
                  request.set_etag(absl::GetFlag(FLAGS_etag).value);
                  return runner.NoShow(std::move(request));
                })});
}

}  // namespace velknee::cli
