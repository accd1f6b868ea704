#ifndef VELKNEE_COMMON_VALIDATION_FIELDS_H_
#define VELKNEE_COMMON_VALIDATION_FIELDS_H_

// Field rules shared by every service's request validation. Each check adds one violation
// naming the field and the rule to `violations`, so a caller sees every problem at once.

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/status/errors.h"
#include "google/type/date.pb.h"

namespace velknee {

// Upper bound for free-text fields (DESIGN: text fields ≤ 4 KiB).
inline constexpr size_t kMaxTextBytes = 4096;

// Valid UTF-8 with no control characters (tab and line feed allowed when `multiline`), and
// between `min_chars` and `max_chars` characters. `max_chars` 0 means kMaxTextBytes bytes.
void CheckText(absl::string_view value, absl::string_view field, size_t min_chars, size_t max_chars,
               bool multiline, FieldViolations& violations);

// True when `date` is a complete calendar date (no zero year, month or day; 31 February is not).
bool IsRealDate(const google::type::Date& date);

// The date as a civil day; only meaningful for a real date.
absl::CivilDay ToCivilDay(const google::type::Date& date);

// A real date strictly before `today`.
void CheckPastDate(const google::type::Date& date, absl::string_view field, absl::CivilDay today,
                   FieldViolations& violations);

// The phone number with separators (spaces, '-', '.', '(', ')') removed, keeping a leading
// '+', or nullopt unless it then has 7 to 15 digits.
std::optional<std::string> NormalizePhone(absl::string_view phone);

// Adds "must be 7 to 15 digits..." unless NormalizePhone accepts `phone`; returns the
// normalized number (empty on failure).
std::string CheckPhone(absl::string_view phone, absl::string_view field,
                       FieldViolations& violations);

// local@domain.tld shape, at most 254 characters, no spaces or control characters.
void CheckEmail(absl::string_view email, absl::string_view field, FieldViolations& violations);

}  // namespace velknee

#endif  // VELKNEE_COMMON_VALIDATION_FIELDS_H_
