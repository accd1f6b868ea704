#include "clients/cli/dates.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace velknee::cli {
namespace {

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !text.empty();
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

absl::StatusOr<google::type::Date> ParseDate(absl::string_view text, absl::string_view what) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", why, ", got \"", text, "\""));
  };
  int year = 0;
  int month = 0;
  int day = 0;
  if (trimmed.size() != 10 || trimmed[4] != '-' || trimmed[7] != '-' ||
      !AllDigits(trimmed.substr(0, 4)) || !AllDigits(trimmed.substr(5, 2)) ||
      !AllDigits(trimmed.substr(8, 2)) || !absl::SimpleAtoi(trimmed.substr(0, 4), &year) ||
      !absl::SimpleAtoi(trimmed.substr(5, 2), &month) ||
      !absl::SimpleAtoi(trimmed.substr(8, 2), &day)) {
    return invalid("must be a date as YYYY-MM-DD");
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return invalid("no such date");
  }
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

google::type::Date LocalToday() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::LocalTimeZone());
  google::type::Date date;
  date.set_year(static_cast<int>(today.year()));
  date.set_month(today.month());
  date.set_day(today.day());
  return date;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& time, absl::TimeZone time_zone) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", absl::FromUnixSeconds(time.seconds()), time_zone);
}

absl::StatusOr<absl::TimeZone> TimeZoneNamed(absl::string_view name, absl::string_view what) {
  if (name.empty()) return absl::LocalTimeZone();
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": unknown time zone \"", name,
                                                   "\"; use an IANA name such as Europe/London"));
  }
  return zone;
}

std::optional<int> ParseClock(absl::string_view text, bool end_of_day) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  for (size_t i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  if (!absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes)) {
    return std::nullopt;
  }
  if (minutes > 59) return std::nullopt;
  if (hours == 24 && minutes == 0 && end_of_day) return 24 * 60;
  if (hours > 23) return std::nullopt;
  return hours * 60 + minutes;
}

std::string DayWithWeekday(absl::CivilDay day) {
  // Any fixed zone names the civil day's weekday; UTC has no skipped midnights.
  return absl::FormatTime("%A %Y-%m-%d", absl::FromCivil(day, absl::UTCTimeZone()),
                          absl::UTCTimeZone());
}

std::string ClockText(int hours, int minutes) {
  return absl::StrFormat("%02d:%02d", hours, minutes);
}

absl::StatusOr<google::protobuf::Timestamp> ParseLocalTime(absl::string_view text,
                                                           absl::TimeZone zone,
                                                           absl::string_view what) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  const auto bad = absl::InvalidArgumentError(
      absl::StrCat(what, ": must be a local time as \"YYYY-MM-DD HH:MM\", got \"", text, "\""));
  if (trimmed.size() != 16 || (trimmed[10] != ' ' && trimmed[10] != 'T')) return bad;
  absl::StatusOr<google::type::Date> date = ParseDate(trimmed.substr(0, 10), what);
  if (!date.ok()) return date.status();
  const std::optional<int> minutes = ParseClock(trimmed.substr(11), false);
  if (!minutes) return bad;
  const absl::CivilMinute civil(date->year(), date->month(), date->day(), *minutes / 60,
                                *minutes % 60);
  const absl::TimeZone::TimeInfo info = zone.At(civil);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", trimmed.substr(0, 16),
                                                   " does not exist in ", zone.name(),
                                                   " (the clocks go forward then)"));
  }
  return ToTimestamp(info.pre);
}

DayRange LocalDay(const google::type::Date& date, absl::TimeZone zone) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return {ToTimestamp(zone.At(absl::CivilSecond(day)).pre),
          ToTimestamp(zone.At(absl::CivilSecond(day + 1)).pre)};
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp stamp;
  stamp.set_seconds(absl::ToUnixSeconds(time));
  return stamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& stamp) {
  return absl::FromUnixSeconds(stamp.seconds());
}

}  // namespace velknee::cli
