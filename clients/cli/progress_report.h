#ifndef VELKNEE_CLIENTS_CLI_PROGRESS_REPORT_H_
#define VELKNEE_CLIENTS_CLI_PROGRESS_REPORT_H_

// The readable form of a plan's progress: the numbers a therapist checks, a table of the pain
// series, and a small text chart (sessions across, NPRS up) so the trend shows at a glance.

#include <string>

#include "absl/time/time.h"
#include "velknee/notes/v1/plan_progress.pb.h"

namespace velknee::cli {

// Dates are shown in `time_zone`. Plain ASCII, so it prints the same on any terminal.
std::string ProgressReport(const notes::v1::PlanProgress& progress, absl::TimeZone time_zone);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PROGRESS_REPORT_H_
