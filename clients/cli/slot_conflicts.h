#ifndef VELKNEE_CLIENTS_CLI_SLOT_CONFLICTS_H_
#define VELKNEE_CLIENTS_CLI_SLOT_CONFLICTS_H_

// How the desk says who holds a slot it could not book, and when. A refused
// BookAppointment, RescheduleAppointment or BookSeries carries one
// SlotConflict detail per conflicting appointment
// (proto/velknee/common/v1/error_details.proto); every line below the error
// line is read from those details and the PreconditionFailure types, never
// from the message, so a change of the server's wording cannot break it.

#include <map>
#include <string>

#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "grpcpp/support/status.h"

namespace velknee::cli {

// Display names by resource name: "clients/c1" -> "Oskar Lindqvist",
// "therapists/ana" -> "Ana Costa". A person missing here is shown by their
// resource name.
using PeopleNames = std::map<std::string, std::string>;

// The names of the clients (through IntakeService) and therapists (through
// SchedulingService) that the SlotConflict details of `status` name, each
// read once. Best effort, since the booking has already failed: after the
// first lookup that fails (no permission, a service down) no more are tried
// and the rest are shown by resource name.
PeopleNames LookUpPeopleInConflicts(const grpc::Status& status, const Connection& connection);

// What a refused booking, reschedule or series prints on stderr, ending in a
// newline. Any error other than reason SLOT_CONFLICT is the one ErrorLine.
// A SLOT_CONFLICT is the ErrorLine (unchanged, for scripts), then one
// indented line per failing session in the server's order: each
// SlotConflict as
//   2026-12-01 10:30 is taken: appointments/a1, Oskar Lindqvist with Ana Costa, 10:00–11:00
// (times in `zone`; the conflicting appointment's date is added when it
// starts on another day), and, for a series, each session that fails for
// another reason (e.g. outside working hours) as "subject: description".
// What the desk asked for: one appointment, whose error line says it all unless a slot is
// taken, or a plan's series, where every failing session gets its own line whatever the
// reason (the error line alone does not say which dates to move).
enum class Refused { kAppointment, kSeries };

std::string SlotConflictText(const grpc::Status& status, absl::TimeZone zone,
                             const PeopleNames& names, Refused refused = Refused::kAppointment);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_SLOT_CONFLICTS_H_
