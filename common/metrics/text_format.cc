#include "common/metrics/text_format.h"

#include <charconv>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace velknee {
namespace {

bool IsNameCharacter(char c, bool first, bool colon_allowed) {
  if (absl::ascii_isalpha(c) || c == '_') return true;
  if (c == ':') return colon_allowed;
  return !first && absl::ascii_isdigit(c);
}

bool IsValidName(absl::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameCharacter(name[i], i == 0, colon_allowed)) return false;
  }
  return true;
}

// Escapes backslash and line feed, and double quote when `quote`.
std::string Escape(absl::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool IsValidMetricName(absl::string_view name) { return IsValidName(name, true); }

bool IsValidLabelName(absl::string_view name) {
  return IsValidName(name, false) && !absl::StartsWith(name, "__") && name != "le";
}

std::string EscapeLabelValue(absl::string_view value) { return Escape(value, true); }

std::string EscapeHelp(absl::string_view help) { return Escape(help, false); }

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

void AppendSample(std::string& out, absl::string_view name,
                  const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, double value,
                  absl::string_view le) {
  absl::StrAppend(&out, name);
  if (!label_names.empty() || !le.empty()) {
    out += '{';
    for (size_t i = 0; i < label_names.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", label_names[i], "=\"",
                      EscapeLabelValue(label_values[i]), "\"");
    }
    if (!le.empty()) absl::StrAppend(&out, label_names.empty() ? "" : ",", "le=\"", le, "\"");
    out += '}';
  }
  absl::StrAppend(&out, " ", FormatSampleValue(value), "\n");
}

}  // namespace velknee
