#include "common/validation/fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace velknee {
namespace {

// Counts code points; nullopt for invalid UTF-8 or a forbidden control character.
std::optional<size_t> CountCharacters(absl::string_view text, bool multiline) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
    } else if (byte >= 0xe0) {
      length = 3;
    } else if (byte >= 0xc2 && byte < 0xe0) {
      length = 2;
    } else if (byte >= 0x80) {
      return std::nullopt;
    } else if (byte < 0x20 || byte == 0x7f) {
      if (!multiline || (byte != '\n' && byte != '\t')) return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return std::nullopt;
    }
    i += length;
  }
  return count;
}

}  // namespace

void CheckText(absl::string_view value, absl::string_view field, size_t min_chars, size_t max_chars,
               bool multiline, FieldViolations& violations) {
  const std::optional<size_t> chars = CountCharacters(value, multiline);
  if (!chars.has_value()) {
    violations.Add(field, multiline ? "must be UTF-8 text without control characters"
                                    : "must be one line of UTF-8 text");
    return;
  }
  if (*chars < min_chars) {
    violations.Add(field, min_chars == 1
                              ? "is required"
                              : absl::StrCat("must be at least ", min_chars, " characters"));
  } else if (max_chars > 0 && *chars > max_chars) {
    violations.Add(field, absl::StrCat("must be at most ", max_chars, " characters"));
  } else if (max_chars == 0 && value.size() > kMaxTextBytes) {
    violations.Add(field, absl::StrCat("must be at most ", kMaxTextBytes, " bytes"));
  }
}

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
  size_t digits = 0;
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
  if (digits < 7 || digits > 15) return std::nullopt;
  return normalized;
}

std::string CheckPhone(absl::string_view phone, absl::string_view field,
                       FieldViolations& violations) {
  std::optional<std::string> normalized = NormalizePhone(phone);
  if (!normalized.has_value()) {
    violations.Add(field,
                   "must be 7 to 15 digits, optionally starting with +, with spaces, dashes, "
                   "dots or parentheses as separators");
    return "";
  }
  return *normalized;
}

void CheckEmail(absl::string_view email, absl::string_view field, FieldViolations& violations) {
  const size_t at = email.find('@');
  const absl::string_view domain = at == absl::string_view::npos ? "" : email.substr(at + 1);
  const size_t dot = domain.rfind('.');
  const bool shape_ok =
      at != absl::string_view::npos && at > 0 && domain.find('@') == absl::string_view::npos &&
      dot != absl::string_view::npos && dot > 0 && dot + 2 <= domain.size() &&
      !absl::StrContains(email, ' ') && !absl::StrContains(domain, "..") && email.size() <= 254 &&
      CountCharacters(email, /*multiline=*/false).has_value();
  if (!shape_ok) violations.Add(field, "must look like name@example.org");
}

}  // namespace velknee
