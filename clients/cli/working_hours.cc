#include "clients/cli/working_hours.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/dates.h"

namespace velknee::cli {
namespace {

using scheduling::v1::WorkingHours;

constexpr const char* kDayWords[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr const char* kLongDayWords[] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

// 1 (Monday) .. 7 (Sunday), as google.type.DayOfWeek numbers them.
std::optional<int> ParseDay(absl::string_view word) {
  for (int i = 0; i < 7; ++i) {
    if (absl::EqualsIgnoreCase(word, kDayWords[i]) ||
        absl::EqualsIgnoreCase(word, kLongDayWords[i])) {
      return i + 1;
    }
  }
  return std::nullopt;
}

std::string IntervalText(const WorkingHours& hours) {
  return absl::StrCat(ClockText(hours.start().hours(), hours.start().minutes()), "-",
                      ClockText(hours.end().hours(), hours.end().minutes()));
}

}  // namespace

absl::StatusOr<std::vector<WorkingHours>> ParseWorkingHours(absl::string_view text) {
  std::vector<WorkingHours> hours;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--hours: \"", entry, "\" ", why, " (e.g. \"mon-fri 09:00-17:00,sat 09:00-13:00\")"));
    };
    const std::vector<absl::string_view> parts = absl::StrSplit(entry, ' ', absl::SkipEmpty());
    if (parts.size() != 2) return bad("is not DAYS HH:MM-HH:MM");
    const std::vector<absl::string_view> days = absl::StrSplit(parts[0], '-');
    const std::vector<absl::string_view> times = absl::StrSplit(parts[1], '-');
    if (days.size() > 2 || times.size() != 2) return bad("is not DAYS HH:MM-HH:MM");
    const std::optional<int> first = ParseDay(days[0]);
    const std::optional<int> last = ParseDay(days.back());
    if (!first || !last)
      return bad("has an unknown weekday; use mon, tue, wed, thu, fri, sat, sun");
    if (*last < *first)
      return bad("has a day range that runs backwards; write mon-fri, not fri-mon");
    const std::optional<int> start = ParseClock(times[0], false);
    const std::optional<int> end = ParseClock(times[1], true);
    if (!start || !end) return bad("has a time that is not HH:MM (00:00 to 24:00)");
    if (*end <= *start) return bad("ends before it starts");
    for (int day = *first; day <= *last; ++day) {
      WorkingHours h;
      h.set_day(static_cast<google::type::DayOfWeek>(day));
      h.mutable_start()->set_hours(*start / 60);
      h.mutable_start()->set_minutes(*start % 60);
      h.mutable_end()->set_hours(*end / 60);
      h.mutable_end()->set_minutes(*end % 60);
      hours.push_back(std::move(h));
    }
  }
  if (hours.empty()) return absl::InvalidArgumentError("--hours: no working hours given");
  return hours;
}

std::string FormatWorkingHours(const google::protobuf::RepeatedPtrField<WorkingHours>& hours) {
  std::vector<std::string> per_day(8);
  std::vector<WorkingHours> sorted(hours.begin(), hours.end());
  std::sort(sorted.begin(), sorted.end(), [](const WorkingHours& a, const WorkingHours& b) {
    if (a.day() != b.day()) return a.day() < b.day();
    return a.start().hours() * 60 + a.start().minutes() <
           b.start().hours() * 60 + b.start().minutes();
  });
  for (const WorkingHours& h : sorted) {
    const int day = static_cast<int>(h.day());
    if (day < 1 || day > 7) continue;
    absl::StrAppend(&per_day[day], per_day[day].empty() ? "" : " ", IntervalText(h));
  }
  std::vector<std::string> entries;
  for (int day = 1; day <= 7;) {
    if (per_day[day].empty()) {
      ++day;
      continue;
    }
    int last = day;
    while (last + 1 <= 7 && per_day[last + 1] == per_day[day]) ++last;
    const std::string days = last == day
                                 ? kDayWords[day - 1]
                                 : absl::StrCat(kDayWords[day - 1], "-", kDayWords[last - 1]);
    for (absl::string_view interval : absl::StrSplit(per_day[day], ' ')) {
      entries.push_back(absl::StrCat(days, " ", interval));
    }
    day = last + 1;
  }
  return absl::StrJoin(entries, ", ");
}

}  // namespace velknee::cli
