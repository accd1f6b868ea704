#ifndef VELKNEE_CLIENTS_CLI_BOOKING_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_BOOKING_COMMANDS_H_

// The desk's booking commands: `book` one appointment, `book-series` a
// plan's whole series, and `reschedule`, `cancel`, `checkin` and `noshow` an
// appointment. Times are typed and shown in the clinic's time zone
// (--time_zone); the wire carries UTC instants.

#include <cstdint>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "clients/cli/command_registry.h"

ABSL_DECLARE_FLAG(int32_t, duration);

namespace velknee::cli {

// The session length `slots` and `book` use when --duration is not given.
inline constexpr int32_t kDefaultSessionMinutes = 60;

// Registers `book`, `book-series`, `reschedule`, `cancel`, `checkin` and
// `noshow`.
void RegisterBookingCommands(CommandRegistry& registry);

// --duration as `book`, `reschedule` and `slots` take it.
FlagSpec DurationFlag();

// --duration: 0 when not given; INVALID_ARGUMENT naming it when negative
// (the server checks the range).
absl::StatusOr<int32_t> SessionMinutesFromFlag();

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_BOOKING_COMMANDS_H_
