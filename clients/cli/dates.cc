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

}  // namespace velknee::cli
