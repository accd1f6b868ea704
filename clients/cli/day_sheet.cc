#include "clients/cli/day_sheet.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clients/cli/appointment_text.h"
#include "clients/cli/dates.h"
#include "clients/cli/output.h"
#include "clients/cli/therapist_commands.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, date, {}, "The day to show, YYYY-MM-DD; default today.");

namespace velknee::cli {
namespace {

using scheduling::v1::Appointment;
using scheduling::v1::SchedulingService;
using scheduling::v1::Therapist;

class DaySheetRunner : public CommandRunner {
 public:
  DaySheetRunner(const CommandIo& io, const Connection& connection, absl::TimeZone zone)
      : CommandRunner(io, connection),
        zone_(zone),
        stub_(SchedulingService::NewStub(connection.channel(Service::kScheduling))),
        intake_(intake::v1::IntakeService::NewStub(connection.channel(Service::kIntake))) {}

  int Day(const google::type::Date& date) {
    const DayRange range = LocalDay(date, zone_);
    scheduling::v1::ListAppointmentsResponse all;
    scheduling::v1::ListAppointmentsRequest request;
    *request.mutable_start_time() = range.start;
    *request.mutable_end_time() = range.end;
    request.set_page_size(500);
    for (int page = 0; page < 1000; ++page) {
      scheduling::v1::ListAppointmentsResponse response;
      grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
        return stub_->ListAppointments(context, request, &response);
      });
      if (!status.ok()) return CallFailure(status);
      for (Appointment& a : *response.mutable_appointments()) {
        *all.add_appointments() = std::move(a);
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (json_) return Print(all, "");
    scheduling::v1::ListTherapistsResponse therapists;
    grpc::Status status =
        ListAllTherapists(connection_, common::v1::TECHNIQUE_UNSPECIFIED, true, therapists);
    if (!status.ok()) return CallFailure(status);
    std::map<std::string, std::string> client_names;
    for (const Appointment& a : all.appointments()) {
      if (client_names.count(a.client()) > 0) continue;
      intake::v1::GetClientRequest get;
      get.set_name(a.client());
      intake::v1::Client client;
      status = connection_.CallWithRetries(
          [&](grpc::ClientContext* context) { return intake_->GetClient(context, get, &client); });
      if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
        client_names[a.client()] = a.client();
        continue;
      }
      if (!status.ok()) return CallFailure(status);
      client_names[a.client()] = absl::StrCat(client.given_name(), " ", client.family_name());
    }
    const std::vector<Appointment> appointments(all.appointments().begin(),
                                                all.appointments().end());
    const std::vector<Therapist> list(therapists.therapists().begin(),
                                      therapists.therapists().end());
    return Print(all, DaySheet(date, zone_, appointments, list, client_names));
  }

 private:
  const absl::TimeZone zone_;
  const std::unique_ptr<SchedulingService::Stub> stub_;
  const std::unique_ptr<intake::v1::IntakeService::Stub> intake_;
};

int ShowDay(const Invocation&, const CommandIo& io) {
  absl::StatusOr<absl::TimeZone> zone = TimeZoneFromFlag();
  if (!zone.ok()) return UsageError(io, zone.status().message());
  google::type::Date date;
  if (const TextFlag flag = absl::GetFlag(FLAGS_date); flag.given) {
    absl::StatusOr<google::type::Date> parsed = ParseDate(flag.value, "--date");
    if (!parsed.ok()) return UsageError(io, parsed.status().message());
    date = *parsed;
  } else {
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), *zone);
    date.set_year(static_cast<int>(today.year()));
    date.set_month(today.month());
    date.set_day(today.day());
  }
  return WithConnection(io, [&](const Connection& connection) {
    return DaySheetRunner(io, connection, *zone).Day(date);
  });
}

}  // namespace

void RegisterDaySheetCommand(CommandRegistry& registry) {
  registry.Add({{"day"},
                "the day sheet: a day's appointments per therapist",
                "",
                "",
                {{"date", "YYYY-MM-DD"}, TimeZoneFlag()},
                ShowDay});
}

std::string DaySheet(const google::type::Date& date, absl::TimeZone zone,
                     const std::vector<Appointment>& appointments,
                     const std::vector<Therapist>& therapists,
                     const std::map<std::string, std::string>& client_names) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  std::string out = absl::StrCat("Day sheet for ", DayWithWeekday(day), " (", zone.name(), ")\n");
  if (appointments.empty()) return absl::StrCat(out, "\nNo appointments.\n");
  std::vector<std::string> order;
  for (const Therapist& t : therapists) order.push_back(t.name());
  for (const Appointment& a : appointments) {
    if (std::find(order.begin(), order.end(), a.therapist()) == order.end()) {
      order.push_back(a.therapist());
    }
  }
  for (const std::string& therapist : order) {
    std::vector<const Appointment*> theirs;
    for (const Appointment& a : appointments) {
      if (a.therapist() == therapist) theirs.push_back(&a);
    }
    if (theirs.empty()) continue;
    std::stable_sort(theirs.begin(), theirs.end(), [](const Appointment* x, const Appointment* y) {
      return x->start_time().seconds() < y->start_time().seconds();
    });
    std::string heading = therapist;
    for (const Therapist& t : therapists) {
      if (t.name() == therapist) heading = absl::StrCat(t.display_name(), " (", therapist, ")");
    }
    std::vector<std::vector<std::string>> rows;
    for (const Appointment* a : theirs) {
      const absl::Time start = FromTimestamp(a->start_time());
      const auto client = client_names.find(a->client());
      rows.push_back(
          {absl::StrCat(
               absl::FormatTime("%H:%M", start, zone), "–",
               absl::FormatTime("%H:%M", start + absl::Minutes(a->duration_minutes()), zone)),
           client == client_names.end() ? a->client() : client->second,
           AppointmentStateLabel(a->state()), a->name()});
    }
    absl::StrAppend(&out, "\n", heading, "\n",
                    AlignedTable({"TIME", "CLIENT", "STATE", "APPOINTMENT"}, rows));
  }
  return out;
}

}  // namespace velknee::cli
