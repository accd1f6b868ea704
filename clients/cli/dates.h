#ifndef VELKNEE_CLIENTS_CLI_DATES_H_
#define VELKNEE_CLIENTS_CLI_DATES_H_

// Calendar dates as people type them on a command line (ISO 8601, YYYY-MM-DD).
// The clients check only the shape and that the day exists; whether a date is
// plausible (a birth date in the past) is the server's rule, so both reference
// clients and every other caller get the same answer.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace velknee::cli {

// Parses "YYYY-MM-DD" into a full date. INVALID_ARGUMENT, naming `what` (e.g.
// "--birth_date"), for any other shape or a day that does not exist
// (2023-02-29).
absl::StatusOr<google::type::Date> ParseDate(absl::string_view text, absl::string_view what);

// "YYYY-MM-DD"; an empty string for an unset date (all zero). Partial dates,
// which velknee never stores, print with zeros in the missing parts.
std::string FormatDate(const google::type::Date& date);

// Today's date in the local time zone of this machine (the clinic's, for a
// tablet in the clinic). Forms use it to refuse dates in the future; the
// server checks again against its --clinic_time_zone.
google::type::Date LocalToday();

// "2024-06-03 14:05 CEST" in `time_zone` (the clinic's, from --time_zone);
// "" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& time, absl::TimeZone time_zone);

// The zone named by an IANA name ("Europe/London", "UTC"), or this machine's
// local zone for "". INVALID_ARGUMENT, naming `what`, for an unknown name.
absl::StatusOr<absl::TimeZone> TimeZoneNamed(absl::string_view name, absl::string_view what);

// "HH:MM" as minutes of the day; 24:00 (1440) only when `end_of_day` is
// allowed. nullopt for any other shape or an hour or minute out of range.
std::optional<int> ParseClock(absl::string_view text, bool end_of_day);

// "Tuesday 2026-12-01": the weekday and the date, as day headings show a day.
std::string DayWithWeekday(absl::CivilDay day);

// "09:05" for 9 hours 5 minutes.
std::string ClockText(int hours, int minutes);

// "YYYY-MM-DD HH:MM" (or with a 'T') as wall-clock time in `zone`. A time
// skipped by a daylight-saving change is INVALID_ARGUMENT; a repeated one
// means its first occurrence. Errors name `what`, e.g. "--start".
absl::StatusOr<google::protobuf::Timestamp> ParseLocalTime(absl::string_view text,
                                                           absl::TimeZone zone,
                                                           absl::string_view what);

// The instants of local midnight starting `date` and the next day in `zone`.
struct DayRange {
  google::protobuf::Timestamp start;
  google::protobuf::Timestamp end;
};
DayRange LocalDay(const google::type::Date& date, absl::TimeZone zone);

// Whole seconds; the clients never show sub-second times.
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& stamp);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_DATES_H_
