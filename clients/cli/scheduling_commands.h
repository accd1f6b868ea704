#ifndef VELKNEE_CLIENTS_CLI_SCHEDULING_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_SCHEDULING_COMMANDS_H_

// The front desk's scheduling commands (velknee-desk): `therapists
// add|list|show|hours` (adding and changing therapists needs an ADMIN token),
// `slots`, `book`, `book-series`, `reschedule`, `cancel`, `checkin`, `noshow`
// and `day`, the day sheet. Times are typed and shown in the clinic's time
// zone (--time_zone, an IANA name; default this machine's zone); the wire
// carries UTC instants.
//
// The commands read their flags (defined in scheduling_commands.cc,
// command.cc, plan_commands.cc, note_commands.cc and connection.cc) after
// absl::ParseCommandLine has run.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "velknee/common/v1/technique.pb.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/scheduling_service.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::cli {

// Runs one `therapists` command; `args` are the words after "therapists".
// Returns kExitOk, kExitCallFailed after one error line, or kExitUsage.
int RunTherapistsCommand(const std::vector<std::string>& args, const CommandIo& io);

// Whether `verb` is one of the top-level scheduling commands (`slots`,
// `book`, `book-series`, `reschedule`, `cancel`, `checkin`, `noshow`, `day`).
bool IsSchedulingCommand(absl::string_view verb);

// Runs one top-level scheduling command; `args` start with its verb.
int RunSchedulingCommand(const std::vector<std::string>& args, const CommandIo& io);

// The synopsis of the `therapists` and scheduling commands, one per line.
std::string SchedulingUsage(absl::string_view program);

// Parses working hours as typed: comma-separated "DAYS HH:MM-HH:MM" entries,
// DAYS one weekday ("mon", "monday") or a range ("mon-fri"), e.g.
// "mon-fri 09:00-17:00,sat 09:00-13:00"; an interval may end at 24:00.
// INVALID_ARGUMENT naming --hours and the bad entry. Overlaps are the
// server's to refuse.
absl::StatusOr<std::vector<scheduling::v1::WorkingHours>> ParseWorkingHours(absl::string_view text);

// Working hours in the form ParseWorkingHours reads, consecutive days with
// the same intervals merged: "mon-fri 09:00-17:00, sat 09:00-13:00".
std::string FormatWorkingHours(
    const google::protobuf::RepeatedPtrField<scheduling::v1::WorkingHours>& hours);

// "trigger_point" (or "trigger-point", any case) → TECHNIQUE_TRIGGER_POINT.
// INVALID_ARGUMENT naming `what` for an unknown word.
absl::StatusOr<common::v1::Technique> ParseTechnique(absl::string_view word,
                                                     absl::string_view what);

// "YYYY-MM-DD HH:MM" (or with a 'T') as wall-clock time in `zone`. A time
// skipped by a daylight-saving change is INVALID_ARGUMENT; a repeated one
// means its first occurrence.
absl::StatusOr<google::protobuf::Timestamp> ParseLocalTime(absl::string_view text,
                                                           absl::TimeZone zone,
                                                           absl::string_view what);

// The instants of local midnight starting `date` and the next day in `zone`.
struct DayRange {
  google::protobuf::Timestamp start;
  google::protobuf::Timestamp end;
};
DayRange LocalDay(const google::type::Date& date, absl::TimeZone zone);

// The day sheet: a heading for `date`, then for each therapist with
// appointments (in the order of `therapist_order`, then any others) their
// display name and a table of local start–end, client name, state and
// appointment name. Names missing from the maps print as resource names.
std::string DaySheet(const google::type::Date& date, absl::TimeZone zone,
                     const std::vector<scheduling::v1::Appointment>& appointments,
                     const std::vector<scheduling::v1::Therapist>& therapists,
                     const std::map<std::string, std::string>& client_names);

// The text form of one appointment, times in `zone`.
std::string AppointmentBlock(const scheduling::v1::Appointment& appointment, absl::TimeZone zone);

// The text form of one therapist.
std::string TherapistBlock(const scheduling::v1::Therapist& therapist);

// "booked", "checked in", "completed", "cancelled", "no-show".
std::string AppointmentStateLabel(scheduling::v1::Appointment::State state);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_SCHEDULING_COMMANDS_H_
