#include "clients/cli/slot_commands.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clients/cli/booking_commands.h"
#include "clients/cli/dates.h"
#include "clients/cli/therapist_commands.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, from, {}, "The first day to search, YYYY-MM-DD.");
ABSL_FLAG(int32_t, days, 0, "How many days to search, 1..31; default 7.");

namespace velknee::cli {
namespace {

using scheduling::v1::SchedulingService;
using scheduling::v1::Therapist;

class SlotsRunner : public CommandRunner {
 public:
  SlotsRunner(const CommandIo& io, const Connection& connection, absl::TimeZone zone)
      : CommandRunner(io, connection),
        zone_(zone),
        stub_(SchedulingService::NewStub(connection.channel(Service::kScheduling))) {}

  int Slots(scheduling::v1::FindAvailableSlotsRequest request) {
    scheduling::v1::FindAvailableSlotsResponse response;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->FindAvailableSlots(context, request, &response);
    });
    if (!status.ok()) return CallFailure(status);
    if (json_) return Print(response, "");
    scheduling::v1::ListTherapistsResponse therapists;
    status = ListAllTherapists(connection_, common::v1::TECHNIQUE_UNSPECIFIED, true, therapists);
    if (!status.ok()) return CallFailure(status);
    std::map<std::string, std::string> names;
    for (const Therapist& t : therapists.therapists()) names[t.name()] = t.display_name();
    if (response.slots().empty()) return Print(response, "No free slots.\n");
    // Day → therapist → start times, in the order the server gave them.
    std::vector<std::pair<absl::CivilDay, std::vector<std::pair<std::string, std::string>>>> days;
    for (const scheduling::v1::Slot& slot : response.slots()) {
      const absl::CivilMinute local = absl::ToCivilMinute(FromTimestamp(slot.start_time()), zone_);
      const absl::CivilDay day(local);
      if (days.empty() || days.back().first != day) days.push_back({day, {}});
      auto& rows = days.back().second;
      auto row = std::find_if(rows.begin(), rows.end(),
                              [&](const auto& r) { return r.first == slot.therapist(); });
      if (row == rows.end()) {
        rows.push_back({slot.therapist(), ""});
        row = rows.end() - 1;
      }
      absl::StrAppend(&row->second, row->second.empty() ? "" : " ",
                      ClockText(local.hour(), local.minute()));
    }
    std::string out;
    for (const auto& [day, rows] : days) {
      absl::StrAppend(&out, out.empty() ? "" : "\n", DayWithWeekday(day), "\n");
      for (const auto& [therapist, times] : rows) {
        const auto name = names.find(therapist);
        absl::StrAppend(&out, "  ", name == names.end() ? therapist : name->second, " (", therapist,
                        "): ", times, "\n");
      }
    }
    return Print(response, out);
  }

 private:
  const absl::TimeZone zone_;
  const std::unique_ptr<SchedulingService::Stub> stub_;
};

int FindSlots(const Invocation&, const CommandIo& io) {
  absl::StatusOr<absl::TimeZone> zone = TimeZoneFromFlag();
  if (!zone.ok()) return UsageError(io, zone.status().message());
  absl::StatusOr<int32_t> duration = SessionMinutesFromFlag();
  if (!duration.ok()) return UsageError(io, duration.status().message());
  const TextFlag therapist = absl::GetFlag(FLAGS_therapist);
  const TextFlag technique = absl::GetFlag(FLAGS_technique);
  if (therapist.given == technique.given) {
    return UsageError(io, "slots needs exactly one of --therapist=therapists/ID and --technique=X");
  }
  absl::StatusOr<google::type::Date> from = ParseDate(absl::GetFlag(FLAGS_from).value, "--from");
  if (!from.ok()) return UsageError(io, from.status().message());
  const int32_t days = absl::GetFlag(FLAGS_days) == 0 ? 7 : absl::GetFlag(FLAGS_days);
  if (days < 1 || days > 31) {
    return UsageError(io, absl::StrCat("--days: must be 1 to 31, got ", days));
  }
  scheduling::v1::FindAvailableSlotsRequest request;
  if (technique.given) {
    absl::StatusOr<common::v1::Technique> t = ParseTechnique(technique.value, "--technique");
    if (!t.ok()) return UsageError(io, t.status().message());
    request.set_technique(*t);
  } else {
    request.set_therapist(therapist.value);
  }
  const absl::CivilDay first(from->year(), from->month(), from->day());
  *request.mutable_start_time() = ToTimestamp(zone->At(absl::CivilSecond(first)).pre);
  *request.mutable_end_time() = ToTimestamp(zone->At(absl::CivilSecond(first + days)).pre);
  request.set_duration_minutes(*duration == 0 ? kDefaultSessionMinutes : *duration);
  return WithConnection(io, [&](const Connection& connection) {
    return SlotsRunner(io, connection, *zone).Slots(std::move(request));
  });
}

}  // namespace

void RegisterSlotCommands(CommandRegistry& registry) {
  registry.Add({{"slots"},
                "free slots of a therapist, or of everyone offering a technique",
                "",
                "",
                {{"therapist", "therapists/ID"},
                 {"technique", "X"},
                 {"from", "YYYY-MM-DD", true},
                 {"days", "7"},
                 DurationFlag(),
                 TimeZoneFlag()},
                FindSlots});
}

}  // namespace velknee::cli
