#include "services/scheduling/working_hours.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace velknee::scheduling {
namespace {

// Minutes since local midnight; 24:00 is 1440.
int Minutes(const google::type::TimeOfDay& time) { return time.hours() * 60 + time.minutes(); }

bool ValidTime(const google::type::TimeOfDay& time, bool may_be_midnight_end) {
  if (time.seconds() != 0 || time.nanos() != 0) return false;
  if (may_be_midnight_end && time.hours() == 24) return time.minutes() == 0;
  return time.hours() >= 0 && time.hours() <= 23 && time.minutes() >= 0 && time.minutes() <= 59;
}

// google.type.DayOfWeek numbers Monday 1 to Sunday 7.
google::type::DayOfWeek DayOf(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return google::type::MONDAY;
    case absl::Weekday::tuesday:
      return google::type::TUESDAY;
    case absl::Weekday::wednesday:
      return google::type::WEDNESDAY;
    case absl::Weekday::thursday:
      return google::type::THURSDAY;
    case absl::Weekday::friday:
      return google::type::FRIDAY;
    case absl::Weekday::saturday:
      return google::type::SATURDAY;
    case absl::Weekday::sunday:
      return google::type::SUNDAY;
  }
  return google::type::DAY_OF_WEEK_UNSPECIFIED;
}

}  // namespace

void CheckWorkingHours(const google::protobuf::RepeatedPtrField<v1::WorkingHours>& hours,
                       absl::string_view field, FieldViolations& violations) {
  for (int i = 0; i < hours.size(); ++i) {
    const v1::WorkingHours& interval = hours[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    const bool start_ok = ValidTime(interval.start(), false);
    const bool end_ok = ValidTime(interval.end(), true);
    if (!start_ok) violations.Add(at + ".start", "must be a time on the minute, 00:00 to 23:59");
    if (!end_ok) violations.Add(at + ".end", "must be a time on the minute, 00:01 to 24:00");
    if (start_ok && end_ok && Minutes(interval.start()) >= Minutes(interval.end())) {
      violations.Add(at + ".end", "must be after start");
      continue;
    }
    for (int j = 0; j < i; ++j) {
      const v1::WorkingHours& other = hours[j];
      if (other.day() == interval.day() && Minutes(interval.start()) < Minutes(other.end()) &&
          Minutes(other.start()) < Minutes(interval.end())) {
        violations.Add(at, absl::StrCat("overlaps ", field, "[", j, "] on the same day"));
      }
    }
  }
}

bool WithinWorkingHours(const v1::Therapist& therapist, absl::Time start, absl::Duration duration,
                        absl::TimeZone time_zone) {
  const absl::CivilSecond local_start = absl::ToCivilSecond(start, time_zone);
  const absl::CivilSecond local_end = absl::ToCivilSecond(start + duration, time_zone);
  const absl::CivilDay day = absl::CivilDay(local_start);
  // A slot ending at midnight ends "at 24:00" of its start day.
  const bool ends_at_midnight = local_end == absl::CivilSecond(day + 1);
  if (absl::CivilDay(local_end) != day && !ends_at_midnight) return false;
  const int start_minute = static_cast<int>((local_start - absl::CivilSecond(day)) / 60);
  const int end_minute =
      ends_at_midnight ? 24 * 60 : static_cast<int>((local_end - absl::CivilSecond(day)) / 60);
  return std::any_of(therapist.working_hours().begin(), therapist.working_hours().end(),
                     [&](const v1::WorkingHours& interval) {
                       return interval.day() == DayOf(day) &&
                              Minutes(interval.start()) <= start_minute &&
                              end_minute <= Minutes(interval.end());
                     });
}

}  // namespace velknee::scheduling
