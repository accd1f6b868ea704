#ifndef VELKNEE_CLIENTS_CLI_WORKING_HOURS_H_
#define VELKNEE_CLIENTS_CLI_WORKING_HOURS_H_

// A therapist's weekly working hours as the desk types and reads them:
// "mon-fri 09:00-17:00, sat 09:00-13:00", in the clinic's time zone.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::cli {

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

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_WORKING_HOURS_H_
