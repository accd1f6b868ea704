#include "clients/cli/command_registry.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace velknee::cli {
namespace {

bool StartsWithWords(const std::vector<std::string>& words, const CommandSpec& spec) {
  if (words.size() < spec.words.size()) return false;
  for (size_t i = 0; i < spec.words.size(); ++i) {
    if (words[i] != spec.words[i]) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<const CommandSpec*> CommandRegistry::Find(
    const std::vector<std::string>& words) const {
  if (words.empty()) return absl::InvalidArgumentError("missing command");
  const CommandSpec* found = nullptr;
  for (const CommandSpec& spec : commands_) {
    if (StartsWithWords(words, spec) &&
        (found == nullptr || spec.words.size() > found->words.size())) {
      found = &spec;
    }
  }
  if (found != nullptr) return found;
  if (!IsGroup(words[0])) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command \"", words[0], "\""));
  }
  if (words.size() == 1) {
    return absl::InvalidArgumentError(absl::StrCat("missing ", words[0], " command"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", words[0], " command \"", words[1], "\""));
}

bool CommandRegistry::IsGroup(absl::string_view word) const {
  return std::any_of(commands_.begin(), commands_.end(), [&](const CommandSpec& spec) {
    return spec.words.size() > 1 && spec.words[0] == word;
  });
}

bool CommandRegistry::AnyCommandTakes(absl::string_view name) const {
  for (const CommandSpec& spec : commands_) {
    for (const FlagSpec& flag : spec.flags) {
      if (flag.name == name) return true;
    }
  }
  return false;
}

std::string CommandName(const CommandSpec& spec) { return absl::StrJoin(spec.words, " "); }

std::string CommandSynopsis(const CommandSpec& spec) {
  std::string text = CommandName(spec);
  if (!spec.operand.empty()) absl::StrAppend(&text, " ", spec.operand);
  for (const FlagSpec& flag : spec.flags) {
    std::string written = absl::StrCat("--", flag.name);
    if (!flag.value.empty()) absl::StrAppend(&written, "=", flag.value);
    absl::StrAppend(&text, " ", flag.ShownRequired() ? written : absl::StrCat("[", written, "]"));
  }
  return text;
}

}  // namespace velknee::cli
