#ifndef VELKNEE_CLIENTS_CLI_OUTPUT_H_
#define VELKNEE_CLIENTS_CLI_OUTPUT_H_

// The two output forms of the reference clients: text for a person at the
// desk (labelled blocks and aligned tables) and proto JSON for scripts, which
// stays stable as long as the proto contract does.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace velknee::cli {

// `message` as proto3 JSON (lowerCamelCase names, enums by name, unset fields
// left out), indented, with a trailing newline.
std::string ProtoJson(const google::protobuf::Message& message);

// "Label:  value" lines with the values aligned. An empty value prints as "-"
// so a reader sees the field exists but is not set.
std::string LabelledBlock(const std::vector<std::pair<std::string, std::string>>& rows);

// Rows under a header, columns aligned by characters (not bytes, so names with
// accents line up), separated by two spaces, no trailing blanks.
std::string AlignedTable(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows);

// At most `max_chars` characters of `text`, ending in "…" when cut (for
// table cells).
std::string Truncated(absl::string_view text, size_t max_chars);

// `text` quoted for a POSIX shell when it needs quoting, so a printed command
// can be pasted back.
std::string ShellQuote(absl::string_view text);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_OUTPUT_H_
