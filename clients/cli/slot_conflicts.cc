#include "clients/cli/slot_conflicts.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clients/cli/dates.h"
#include "clients/cli/error_line.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "velknee/common/v1/error_details.pb.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

namespace velknee::cli {
namespace {

using common::v1::SlotConflict;

constexpr absl::string_view kSlotConflict = "SLOT_CONFLICT";

bool IsSlotConflict(const grpc::Status& status) {
  for (const google::rpc::ErrorInfo& info : DetailsOf<google::rpc::ErrorInfo>(status)) {
    if (info.domain() == kErrorDomain && info.reason() == kSlotConflict) return true;
  }
  return false;
}

std::string NameOf(const std::string& resource, const PeopleNames& names) {
  const auto found = names.find(resource);
  return found == names.end() ? resource : found->second;
}

std::string ConflictLine(const SlotConflict& conflict, absl::TimeZone zone,
                         const PeopleNames& names) {
  const absl::Time session = FromTimestamp(conflict.session_start_time());
  const absl::Time start = FromTimestamp(conflict.start_time());
  const absl::Time end = start + absl::Minutes(conflict.duration_minutes());
  const bool same_day = absl::ToCivilDay(start, zone) == absl::ToCivilDay(session, zone);
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", session, zone),
                      " is taken: ", conflict.appointment(), ", ", NameOf(conflict.client(), names),
                      " with ", NameOf(conflict.therapist(), names), ", ",
                      absl::FormatTime(same_day ? "%H:%M" : "%Y-%m-%d %H:%M", start, zone),
                      "\xE2\x80\x93", absl::FormatTime("%H:%M", end, zone));
}

}  // namespace

PeopleNames LookUpPeopleInConflicts(const grpc::Status& status, const Connection& connection) {
  PeopleNames names;
  const std::vector<SlotConflict> conflicts = DetailsOf<SlotConflict>(status);
  if (conflicts.empty()) return names;
  auto intake = intake::v1::IntakeService::NewStub(connection.channel(Service::kIntake));
  auto scheduling =
      scheduling::v1::SchedulingService::NewStub(connection.channel(Service::kScheduling));
  for (const SlotConflict& conflict : conflicts) {
    if (!names.contains(conflict.client())) {
      intake::v1::GetClientRequest request;
      request.set_name(conflict.client());
      intake::v1::Client client;
      if (!intake->GetClient(connection.NewCallContext().get(), request, &client).ok()) break;
      names[conflict.client()] = absl::StrCat(client.given_name(), " ", client.family_name());
    }
    if (!names.contains(conflict.therapist())) {
      scheduling::v1::GetTherapistRequest request;
      request.set_name(conflict.therapist());
      scheduling::v1::Therapist therapist;
      if (!scheduling->GetTherapist(connection.NewCallContext().get(), request, &therapist).ok()) {
        break;
      }
      names[conflict.therapist()] = therapist.display_name();
    }
  }
  return names;
}

std::string SlotConflictText(const grpc::Status& status, absl::TimeZone zone,
                             const PeopleNames& names, Refused refused) {
  std::string out = absl::StrCat(ErrorLine(status), "\n");
  if (refused == Refused::kAppointment && !IsSlotConflict(status)) return out;
  const std::vector<SlotConflict> conflicts = DetailsOf<SlotConflict>(status);
  size_t next = 0;
  // The conflicts of one session: the details are in session order, and each session whose
  // problem is a conflict has one SLOT_CONFLICT violation, in the same order.
  auto add_session = [&] {
    if (next >= conflicts.size()) return;
    const int64_t session = conflicts[next].session_start_time().seconds();
    for (; next < conflicts.size() && conflicts[next].session_start_time().seconds() == session;
         ++next) {
      absl::StrAppend(&out, "  ", OneLine(ConflictLine(conflicts[next], zone, names)), "\n");
    }
  };
  for (const google::rpc::PreconditionFailure& failure :
       DetailsOf<google::rpc::PreconditionFailure>(status)) {
    for (const auto& violation : failure.violations()) {
      if (violation.type() == kSlotConflict) {
        add_session();
      } else {
        absl::StrAppend(&out, "  ",
                        OneLine(absl::StrCat(violation.subject(), ": ", violation.description())),
                        "\n");
      }
    }
  }
  while (next < conflicts.size()) add_session();
  return out;
}

}  // namespace velknee::cli
