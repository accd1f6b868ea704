#include "clients/cli/appointment_text.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/dates.h"
#include "clients/cli/output.h"

namespace velknee::cli {

using scheduling::v1::Appointment;

std::string AppointmentStateLabel(Appointment::State state) {
  switch (state) {
    case Appointment::STATE_BOOKED:
      return "booked";
    case Appointment::STATE_CHECKED_IN:
      return "checked in";
    case Appointment::STATE_COMPLETED:
      return "completed";
    case Appointment::STATE_CANCELLED:
      return "cancelled";
    case Appointment::STATE_NO_SHOW:
      return "no-show";
    default:
      return "";
  }
}

std::string AppointmentBlock(const Appointment& a, absl::TimeZone zone) {
  const absl::Time start = FromTimestamp(a.start_time());
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Appointment", a.name()},
      {"Client", a.client()},
      {"Therapist", a.therapist()},
      {"Plan", a.plan()},
      {"Start", FormatTimestamp(a.start_time(), zone)},
      {"Ends", absl::FormatTime("%H:%M", start + absl::Minutes(a.duration_minutes()), zone)},
      {"Duration", absl::StrCat(a.duration_minutes(), " min")},
      {"State", AppointmentStateLabel(a.state())},
  };
  if (!a.cancel_reason().empty()) rows.push_back({"Cancelled", a.cancel_reason()});
  rows.push_back({"Etag", a.etag()});
  return LabelledBlock(rows);
}

}  // namespace velknee::cli
