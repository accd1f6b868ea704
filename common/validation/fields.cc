#include "common/validation/fields.h"

#include "absl/strings/ascii.h"

namespace velknee {

bool IsRealDate(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1) {
    return false;
  }
  // CivilDay normalises 31 February to 3 March; a real date survives unchanged.
  const absl::CivilDay day = ToCivilDay(date);
  return day.month() == date.month() && day.day() == date.day();
}

absl::CivilDay ToCivilDay(const google::type::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

void CheckPastDate(const google::type::Date& date, absl::string_view field, absl::CivilDay today,
                   FieldViolations& violations) {
  if (!IsRealDate(date)) {
    violations.Add(field, "must be a real calendar date (year, month and day)");
  } else if (ToCivilDay(date) >= today) {
    violations.Add(field, "must be in the past");
  }
}

std::optional<std::string> NormalizePhone(absl::string_view phone) {
  std::string normalized;
  int digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (absl::ascii_isdigit(c)) {
      normalized.push_back(c);
      ++digits;
    } else if (c == '+' && normalized.empty() && i == phone.find_first_not_of(' ')) {
      normalized.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (digits < kMinPhoneDigits || digits > kMaxPhoneDigits) return std::nullopt;
  return normalized;
}

}  // namespace velknee
