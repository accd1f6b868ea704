#include "clients/cli/output.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"

namespace velknee::cli {
namespace {

// Characters in UTF-8 text: every byte that does not continue a sequence.
size_t DisplayWidth(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

void AppendPadded(std::string& out, absl::string_view cell, size_t width) {
  out.append(cell.data(), cell.size());
  out.append(width - std::min(width, DisplayWidth(cell)), ' ');
}

}  // namespace

std::string ProtoJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  // Only a message with an unknown Any type fails to print; velknee responses
  // hold none, so an empty object is the honest fallback.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    json = "{}\n";
  }
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

std::string LabelledBlock(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [label, value] : rows) {
    width = std::max(width, DisplayWidth(label) + 1);
  }
  std::string out;
  for (const auto& [label, value] : rows) {
    AppendPadded(out, absl::StrCat(label, ":"), width + 2);
    absl::StrAppend(&out, value.empty() ? "-" : value, "\n");
  }
  return out;
}

std::string AlignedTable(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&widths](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::string out;
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      if (i > 0) line.append("  ");
      AppendPadded(line, row[i], widths[i]);
    }
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  };
  print(header);
  for (const auto& row : rows) print(row);
  return out;
}

std::string ShellQuote(absl::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '/' || c == ':' || c == '+' || c == '@' || c == '=';
  });
  if (plain) return std::string(text);
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\\''"}}), "'");
}

std::string Truncated(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars == max_chars) {
      // Cut before this character only if more follow it.
      size_t next = i + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) {
        ++next;
      }
      if (next < text.size()) {
        return absl::StrCat(text.substr(0, i), "\xE2\x80\xA6");
      }
      break;
    }
  }
  return std::string(text);
}

}  // namespace velknee::cli
