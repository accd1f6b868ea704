#ifndef VELKNEE_CLIENTS_CLI_APPOINTMENT_TEXT_H_
#define VELKNEE_CLIENTS_CLI_APPOINTMENT_TEXT_H_

// How the desk shows one appointment: its state in words and its block of
// labelled lines, times in the clinic's time zone.

#include <string>

#include "absl/time/time.h"
#include "velknee/scheduling/v1/appointment.pb.h"

namespace velknee::cli {

// "booked", "checked in", "completed", "cancelled", "no-show".
std::string AppointmentStateLabel(scheduling::v1::Appointment::State state);

// The text form of one appointment, times in `zone`.
std::string AppointmentBlock(const scheduling::v1::Appointment& appointment, absl::TimeZone zone);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_APPOINTMENT_TEXT_H_
