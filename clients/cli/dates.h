#ifndef VELKNEE_CLIENTS_CLI_DATES_H_
#define VELKNEE_CLIENTS_CLI_DATES_H_

// Calendar dates as people type them on a command line (ISO 8601, YYYY-MM-DD).
// The clients check only the shape and that the day exists; whether a date is
// plausible (a birth date in the past) is the server's rule, so both reference
// clients and every other caller get the same answer.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace velknee::cli {

// Parses "YYYY-MM-DD" into a full date. INVALID_ARGUMENT, naming `what` (e.g.
// "--birth_date"), for any other shape or a day that does not exist
// (2023-02-29).
absl::StatusOr<google::type::Date> ParseDate(absl::string_view text,
                                             absl::string_view what);

// "YYYY-MM-DD"; an empty string for an unset date (all zero). Partial dates,
// which velknee never stores, print with zeros in the missing parts.
std::string FormatDate(const google::type::Date& date);

// Today's date in the local time zone of this machine (the clinic's, for a
// tablet in the clinic). Forms use it to refuse dates in the future; the
// server checks again against its --clinic_time_zone.
google::type::Date LocalToday();

// "2024-06-03 14:05 CEST" in this machine's time zone; "" for an unset
// timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& time);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_DATES_H_
