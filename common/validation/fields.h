#ifndef VELKNEE_COMMON_VALIDATION_FIELDS_H_
#define VELKNEE_COMMON_VALIDATION_FIELDS_H_

// Value checks that need more than a field's declared rules (field_rules.h): calendar dates,
// which need today's date, and phone numbers, which are stored normalized.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/status/errors.h"
#include "google/type/date.pb.h"

namespace velknee {

// True when `date` is a complete calendar date (no zero year, month or day; 31 February is not).
bool IsRealDate(const google::type::Date& date);

// The date as a civil day; only meaningful for a real date.
absl::CivilDay ToCivilDay(const google::type::Date& date);

// A real date strictly before `today`.
void CheckPastDate(const google::type::Date& date, absl::string_view field, absl::CivilDay today,
                   FieldViolations& violations);

// How many digits a phone number has (TEXT_FORMAT_PHONE; E.164 allows at most 15).
inline constexpr int kMinPhoneDigits = 7;
inline constexpr int kMaxPhoneDigits = 15;

// The phone number with separators (spaces, '-', '.', '(', ')') removed, keeping a leading
// '+', or nullopt unless it then has kMinPhoneDigits to kMaxPhoneDigits digits.
std::optional<std::string> NormalizePhone(absl::string_view phone);

}  // namespace velknee

#endif  // VELKNEE_COMMON_VALIDATION_FIELDS_H_
