#ifndef VELKNEE_CLIENTS_CLI_DAY_SHEET_H_
#define VELKNEE_CLIENTS_CLI_DAY_SHEET_H_

// The desk's day sheet: `day [--date=YYYY-MM-DD]` lists a local day's
// appointments per therapist, with the clients' names.

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/cli/command_registry.h"
#include "google/type/date.pb.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::cli {

// Registers `day`.
void RegisterDaySheetCommand(CommandRegistry& registry);

// The day sheet: a heading for `date`, then for each therapist with
// appointments (in the order of `therapists`, then any others) their
// display name and a table of local start–end, client name, state and
// appointment name. Names missing from the maps print as resource names.
std::string DaySheet(const google::type::Date& date, absl::TimeZone zone,
                     const std::vector<scheduling::v1::Appointment>& appointments,
                     const std::vector<scheduling::v1::Therapist>& therapists,
                     const std::map<std::string, std::string>& client_names);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_DAY_SHEET_H_
