#ifndef VELKNEE_CLIENTS_CLI_TEXT_FLAG_H_
#define VELKNEE_CLIENTS_CLI_TEXT_FLAG_H_

// A string flag that remembers whether it was given. Edits need three states
// per field: not given (leave as is), given empty (clear it), given a value.
// absl's std::optional<std::string> flags cannot express the middle one (they
// read an empty value as "unset"), so this type implements absl's documented
// AbslParseFlag/AbslUnparseFlag extension point instead.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace velknee::cli {

struct TextFlag {
  bool given = false;
  std::string value;

  // The value when given, otherwise nullopt.
  std::optional<std::string> AsOptional() const {
    return given ? std::optional<std::string>(value) : std::nullopt;
  }
};

// Any text is a valid value, including the empty string.
inline bool AbslParseFlag(absl::string_view text, TextFlag* flag, std::string* /*error*/) {
  flag->given = true;
  flag->value = std::string(text);
  return true;
}

inline std::string AbslUnparseFlag(const TextFlag& flag) { return flag.value; }

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_TEXT_FLAG_H_
