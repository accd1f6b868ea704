#include "common/validation/field_rules.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_behavior.h"
#include "common/validation/fields.h"
#include "velknee/common/v1/field_behavior.pb.h"

namespace velknee {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Reflection;

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

bool IsEmailShaped(absl::string_view email) {
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || at == 0) return false;
  const absl::string_view domain = email.substr(at + 1);
  const size_t dot = domain.rfind('.');
  return domain.find('@') == absl::string_view::npos && dot != absl::string_view::npos && dot > 0 &&
         dot + 2 <= domain.size() && !absl::StrContains(email, ' ') &&
         !absl::StrContains(domain, "..") && email.size() <= 254;
}

bool IsRequestId(absl::string_view id) {
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

bool IsResourceId(absl::string_view id) {
  if (!absl::ascii_islower(id.front()) || id.back() == '-') return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

// The rule a text of `format` breaks, or nullopt when it has the format.
std::optional<std::string> FormatProblem(absl::string_view text, common::v1::TextFormat format) {
  switch (format) {
    case common::v1::TEXT_FORMAT_PHONE:
      if (NormalizePhone(text).has_value()) return std::nullopt;
      return absl::StrCat("must be ", kMinPhoneDigits, " to ", kMaxPhoneDigits,
                          " digits, optionally starting with +, with spaces, dashes, dots or "
                          "parentheses as separators");
    case common::v1::TEXT_FORMAT_EMAIL:
      if (IsEmailShaped(text)) return std::nullopt;
      return "must look like name@example.org";
    case common::v1::TEXT_FORMAT_REQUEST_ID:
      if (IsRequestId(text)) return std::nullopt;
      return "may hold only letters, digits, '-' and '_'";
    case common::v1::TEXT_FORMAT_RESOURCE_ID:
      if (IsResourceId(text)) return std::nullopt;
      return "must be a-z, 0-9 and '-', start with a letter and not end with '-'";
    default:
      return std::nullopt;
  }
}

// The rule `text` breaks, or nullopt. `required` counts as at least one character.
std::optional<std::string> TextProblem(absl::string_view text, const common::v1::TextRules& rules,
                                       bool required) {
  const std::optional<size_t> chars = CountCharacters(text, rules.multiline());
  if (!chars.has_value()) {
    return rules.multiline() ? "must be UTF-8 text without control characters"
                             : "must be one line of UTF-8 text";
  }
  const size_t min_chars =
      std::max<size_t>(static_cast<size_t>(rules.min_chars()), required ? 1 : 0);
  if (min_chars > 0) {
    const std::optional<size_t> trimmed =
        CountCharacters(absl::StripAsciiWhitespace(text), rules.multiline());
    if (*trimmed < min_chars) {
      return min_chars == 1 ? std::string("is required")
                            : absl::StrCat("must be at least ", min_chars, " characters");
    }
  }
  if (rules.max_chars() > 0 && *chars > static_cast<size_t>(rules.max_chars())) {
    return absl::StrCat("must be at most ", rules.max_chars(), " characters");
  }
  if (rules.max_bytes() > 0 && text.size() > static_cast<size_t>(rules.max_bytes())) {
    return absl::StrCat("must be at most ", rules.max_bytes(), " bytes");
  }
  if (text.empty()) return std::nullopt;
  return FormatProblem(text, rules.format());
}

std::optional<std::string> NumberProblem(int64_t value, const common::v1::NumberRules& rules) {
  const bool low = rules.has_min() && value < rules.min();
  const bool high = rules.has_max() && value > rules.max();
  if (!low && !high) return std::nullopt;
  if (!rules.in_words().empty()) return rules.in_words();
  if (rules.has_min() && rules.has_max()) {
    return absl::StrCat("must be between ", rules.min(), " and ", rules.max());
  }
  return low ? absl::StrCat("must be at least ", rules.min())
             : absl::StrCat("must be at most ", rules.max());
}

std::string PathOf(absl::string_view parent, const FieldDescriptor& field) {
  return parent.empty() ? std::string(field.name()) : absl::StrCat(parent, ".", field.name());
}

// Walks one message; `descend` false stops at the fields of `message` itself.
class RuleWalk {
 public:
  RuleWalk(FieldViolations& violations, bool descend)
      : violations_(violations), descend_(descend) {}

  void Walk(const google::protobuf::Message& message, absl::string_view path) {
    const google::protobuf::Descriptor& type = *message.GetDescriptor();
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (IsOutputOnly(field)) continue;
      if (!descend_ && !field.options().HasExtension(common::v1::rules)) continue;
      if (field.is_repeated()) {
        List(message, field, PathOf(path, field));
      } else {
        Single(message, field, PathOf(path, field));
      }
    }
  }

  std::vector<std::string> TakeBad() { return std::move(bad_); }

 private:
  void Add(const std::string& path, absl::string_view rule) {
    violations_.Add(path, rule);
    bad_.push_back(path);
  }

  void Single(const google::protobuf::Message& message, const FieldDescriptor& field,
              const std::string& path) {
    const Reflection& reflection = *message.GetReflection();
    const common::v1::FieldRules& rules = RulesOf(field);
    const bool required = IsRequired(field);
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (!reflection.HasField(message, &field)) {
          if (required) Add(path, "is required");
        } else if (descend_) {
          Walk(reflection.GetMessage(message, &field), path);
        }
        return;
      case FieldDescriptor::CPPTYPE_STRING:
        if (rules.has_text()) {
          Text(reflection.GetString(message, &field), rules.text(), required, path);
        } else if (required && reflection.GetString(message, &field).empty()) {
          Add(path, "is required");
        }
        return;
      case FieldDescriptor::CPPTYPE_ENUM:
        Enum(field, reflection.GetEnumValue(message, &field), required, path);
        return;
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64:
        if (field.has_presence() && !reflection.HasField(message, &field)) return;
        if (rules.has_number()) {
          const int64_t value = field.cpp_type() == FieldDescriptor::CPPTYPE_INT32
                                    ? reflection.GetInt32(message, &field)
                                    : reflection.GetInt64(message, &field);
          if (auto problem = NumberProblem(value, rules.number())) Add(path, *problem);
        }
        return;
      default:
        return;
    }
  }

  void List(const google::protobuf::Message& message, const FieldDescriptor& field,
            const std::string& path) {
    const Reflection& reflection = *message.GetReflection();
    const common::v1::FieldRules& rules = RulesOf(field);
    const int size = reflection.FieldSize(message, &field);
    if (rules.items().max() > 0 && size > rules.items().max()) {
      // One violation for the list; its items are not worth reading.
      Add(path, absl::StrCat("must hold at most ", rules.items().max(), " items"));
      return;
    }
    if (size < rules.items().min()) {
      Add(path, absl::StrCat("must hold at least ", rules.items().min(),
                             rules.items().min() == 1 ? " item" : " items"));
    }
    for (int i = 0; i < size; ++i) {
      const std::string item = absl::StrCat(path, "[", i, "]");
      switch (field.cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (descend_) Walk(reflection.GetRepeatedMessage(message, &field, i), item);
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          if (rules.has_text()) {
            Text(reflection.GetRepeatedString(message, &field, i), rules.text(), false, item);
          }
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const int value = reflection.GetRepeatedEnumValue(message, &field, i);
          if (!Enum(field, value, /*required=*/true, item)) break;
          if (!rules.items().unique()) break;
          for (int j = 0; j < i; ++j) {
            if (reflection.GetRepeatedEnumValue(message, &field, j) == value) {
              Add(item, absl::StrCat("repeats ", path, "[", j, "]"));
              break;
            }
          }
          break;
        }
        case FieldDescriptor::CPPTYPE_INT32:
          if (rules.has_number()) {
            if (auto problem = NumberProblem(reflection.GetRepeatedInt32(message, &field, i),
                                             rules.number())) {
              Add(item, *problem);
            }
          }
          break;
        default:
          break;
      }
    }
  }

  void Text(const std::string& text, const common::v1::TextRules& rules, bool required,
            const std::string& path) {
    if (auto problem = TextProblem(text, rules, required)) Add(path, *problem);
  }

  // True when `value` is acceptable. Unknown numbers are never acceptable; 0 (UNSPECIFIED) only
  // when the field is not required.
  bool Enum(const FieldDescriptor& field, int value, bool required, const std::string& path) {
    const bool known = field.enum_type()->FindValueByNumber(value) != nullptr;
    if (known && (value != 0 || !required)) return true;
    Add(path,
        required || value == 0 ? "must be set to one of its values" : "must be one of its values");
    return false;
  }

  FieldViolations& violations_;
  const bool descend_;
  std::vector<std::string> bad_;
};

}  // namespace

const common::v1::FieldRules& RulesOf(const FieldDescriptor& field) {
  return field.options().GetExtension(common::v1::rules);
}

bool IsRequired(const FieldDescriptor& field) {
  return HasFieldBehavior(field, common::v1::FIELD_BEHAVIOR_REQUIRED);
}

bool IsOutputOnly(const FieldDescriptor& field) {
  return HasFieldBehavior(field, common::v1::FIELD_BEHAVIOR_OUTPUT_ONLY);
}

const FieldDescriptor& FieldOf(const google::protobuf::Descriptor& message_type,
                               absl::string_view name) {
  const FieldDescriptor* field = message_type.FindFieldByName(std::string(name));
  if (field == nullptr) {
    std::fprintf(stderr, "%s has no field %.*s\n", message_type.full_name().c_str(),
                 static_cast<int>(name.size()), name.data());
    std::abort();
  }
  return *field;
}

std::vector<std::string> CheckFieldRules(const google::protobuf::Message& message,
                                         absl::string_view path, FieldViolations& violations) {
  RuleWalk walk(violations, /*descend=*/true);
  walk.Walk(message, path);
  return walk.TakeBad();
}

void CheckRequestFields(const google::protobuf::Message& request, FieldViolations& violations) {
  RuleWalk walk(violations, /*descend=*/false);
  walk.Walk(request, "");
}

absl::Status ValidateRequestFields(const google::protobuf::Message& request) {
  FieldViolations violations;
  CheckRequestFields(request, violations);
  return violations.ToStatus();
}

void CheckNumberRule(const FieldDescriptor& field, int64_t value, absl::string_view path,
                     FieldViolations& violations) {
  if (auto problem = NumberProblem(value, RulesOf(field).number())) {
    violations.Add(path, *problem);
  }
}

bool AnyBadUnder(const std::vector<std::string>& bad, absl::string_view path) {
  for (const std::string& found : bad) {
    if (found == path || (absl::StartsWith(found, path) &&
                          (found[path.size()] == '.' || found[path.size()] == '['))) {
      return true;
    }
  }
  return false;
}

}  // namespace velknee
