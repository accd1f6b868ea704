#include "clients/cli/program.h"

#include <algorithm>
#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "clients/cli/text_flag.h"

namespace velknee::cli {
namespace {

constexpr char kVersion[] = "0.1.0";

bool IsConnectionFlag(absl::string_view name) {
  const std::vector<FlagSpec>& flags = ConnectionFlags();
  return std::any_of(flags.begin(), flags.end(),
                     [&](const FlagSpec& flag) { return flag.name == name; });
}

// A flag as written on the command line.
struct WrittenFlag {
  std::string name;  // underscored: "from_file" for --from-file
  std::optional<std::string> value;
};

// `text` in lines of at most `width` characters, each after `indent`.
std::string Wrapped(absl::string_view text, absl::string_view indent, size_t width = 78) {
  std::string out;
  std::string line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      absl::StrAppend(&out, indent, line, "\n");
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  if (!line.empty()) absl::StrAppend(&out, indent, line, "\n");
  return out;
}

// "  --name=VALUE" and the flag's own help text below it.
std::string FlagHelp(const FlagSpec& spec) {
  std::string out = absl::StrCat("  --", spec.name);
  if (!spec.value.empty()) absl::StrAppend(&out, "=", spec.value);
  absl::StrAppend(&out, spec.ShownRequired() ? "   (required)" : "", "\n");
  if (const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(spec.name); flag != nullptr) {
    absl::StrAppend(&out, Wrapped(flag->Help(), "      "));
  }
  return out;
}

std::string CommandList(const std::vector<const CommandSpec*>& commands) {
  size_t width = 0;
  for (const CommandSpec* spec : commands) width = std::max(width, CommandName(*spec).size());
  std::string out;
  for (const CommandSpec* spec : commands) {
    const std::string name = CommandName(*spec);
    absl::StrAppend(&out, "  ", name, std::string(width - name.size() + 2, ' '), spec->summary,
                    "\n");
  }
  return out;
}

std::string ProgramHelp(const ProgramInfo& info, const CommandRegistry& registry) {
  std::vector<const CommandSpec*> all;
  for (const CommandSpec& spec : registry.commands()) all.push_back(&spec);
  std::string out =
      absl::StrCat(info.name, ": ", info.description, "\n\nusage: ", info.name,
                   " COMMAND [ARGUMENT] [--flag=VALUE ...]\n\ncommands:\n", CommandList(all), "\n",
                   info.name, " COMMAND --help shows a command and its flags.\n", info.notes,
                   "\nconnection flags, taken by every command:\n");
  for (const FlagSpec& flag : ConnectionFlags()) absl::StrAppend(&out, FlagHelp(flag));
  absl::StrAppend(&out,
                  "\nFlag names may be written with dashes too (--show-archived).\n"
                  "exit status: 0 done, 1 the server refused or failed the call (an error on "
                  "stderr),\n  2 usage or local configuration error, or a form that was not "
                  "completed.\n");
  return out;
}

std::string GroupHelp(const ProgramInfo& info, const CommandRegistry& registry,
                      absl::string_view group) {
  std::vector<const CommandSpec*> members;
  for (const CommandSpec& spec : registry.commands()) {
    if (spec.words[0] == group) members.push_back(&spec);
  }
  return absl::StrCat("usage: ", info.name, " ", group, " COMMAND ...\n\n", group, " commands:\n",
                      CommandList(members), "\n", info.name, " ", group,
                      " COMMAND --help shows a command and its flags.\n");
}

std::string CommandHelp(const ProgramInfo& info, const CommandSpec& spec) {
  std::string out =
      absl::StrCat("usage: ", info.name, " ", CommandSynopsis(spec), "\n\n", spec.summary, "\n");
  if (!spec.operand.empty()) {
    absl::StrAppend(&out, "\n  ", spec.operand, "   ", spec.operand_meaning, "\n");
  }
  if (!spec.flags.empty()) absl::StrAppend(&out, "\nflags:\n");
  for (const FlagSpec& flag : spec.flags) absl::StrAppend(&out, FlagHelp(flag));
  absl::StrAppend(&out,
                  "\nThe connection flags (--target, --token_file, --json, ...) and the "
                  "exit statuses: ",
                  info.name, " --help.\n");
  return out;
}

int Help(const ProgramInfo& info, const CommandRegistry& registry,
         const std::vector<std::string>& words, const CommandIo& io) {
  if (words.empty()) {
    io.out << ProgramHelp(info, registry);
    return kExitOk;
  }
  absl::StatusOr<const CommandSpec*> spec = registry.Find(words);
  if (spec.ok()) {
    io.out << CommandHelp(info, **spec);
    return kExitOk;
  }
  if (words.size() == 1 && registry.IsGroup(words[0])) {
    io.out << GroupHelp(info, registry, words[0]);
    return kExitOk;
  }
  return UsageError(io, spec.status().message());
}

// What a value that a flag cannot hold should have looked like.
std::string ExpectedValue(const absl::CommandLineFlag& flag) {
  if (flag.IsOfType<bool>()) return "true or false";
  if (flag.IsOfType<int32_t>()) return "a whole number";
  if (flag.IsOfType<absl::Duration>()) return "a duration such as 10s or 500ms";
  return "a valid value";
}

}  // namespace

int RunProgram(const ProgramInfo& info, const CommandRegistry& registry,
               const std::vector<std::string>& args, const CommandIo& io) {
  std::vector<std::string> words;
  std::vector<WrittenFlag> written;
  bool help = false;
  bool version = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      words.insert(words.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      words.push_back(arg);
      continue;
    }
    absl::string_view body(arg);
    body.remove_prefix(absl::StartsWith(body, "--") ? 2 : 1);
    WrittenFlag flag;
    const size_t equals = body.find('=');
    flag.name = std::string(body.substr(0, equals));
    std::replace(flag.name.begin(), flag.name.end(), '-', '_');
    if (equals != absl::string_view::npos) flag.value = std::string(body.substr(equals + 1));
    if (flag.name == "help" || flag.name == "h") {
      help = true;
    } else if (flag.name == "version") {
      version = true;
    } else {
      // A flag written "--name VALUE" takes the next word unless it is a switch.
      const absl::CommandLineFlag* known = absl::FindCommandLineFlag(flag.name);
      if (!flag.value && known != nullptr && !known->IsOfType<bool>() && i + 1 < args.size()) {
        flag.value = args[++i];
      }
      written.push_back(std::move(flag));
    }
  }
  if (help) return Help(info, registry, words, io);
  if (version) {
    io.out << info.name << " " << kVersion << "\n";
    return kExitOk;
  }

  // A flag no command takes is refused first, by name: a mistyped flag is the likelier mistake
  // than the missing command or extra argument it would otherwise be read as.
  for (const WrittenFlag& flag : written) {
    if (IsConnectionFlag(flag.name)) continue;
    if (!registry.AnyCommandTakes(flag.name) || absl::FindCommandLineFlag(flag.name) == nullptr) {
      return UsageError(io, absl::StrCat("unknown flag --", flag.name));
    }
  }

  absl::StatusOr<const CommandSpec*> found = registry.Find(words);
  if (!found.ok()) return UsageError(io, found.status().message());
  const CommandSpec& spec = **found;
  Invocation invocation{CommandName(spec), ""};
  const size_t arguments = words.size() - spec.words.size();
  const size_t expected = spec.operand.empty() ? 0 : 1;
  if (arguments < expected) {
    return UsageError(
        io, absl::StrCat(invocation.command, " needs ", spec.operand_meaning, ", ", spec.operand));
  }
  if (arguments > expected) {
    return UsageError(
        io, absl::StrCat("unexpected argument \"", words[spec.words.size() + expected], "\""));
  }
  if (expected == 1) invocation.name = words.back();

  std::vector<std::string> misplaced;
  for (const WrittenFlag& flag : written) {
    const bool taken = std::any_of(spec.flags.begin(), spec.flags.end(),
                                   [&](const FlagSpec& own) { return own.name == flag.name; });
    if (taken || IsConnectionFlag(flag.name)) continue;
    misplaced.push_back(absl::StrCat("--", flag.name));
  }
  if (!misplaced.empty()) {
    return UsageError(io, absl::StrCat(absl::StrJoin(misplaced, ", "), " does not apply to ",
                                       invocation.command));
  }
  for (const FlagSpec& own : spec.flags) {
    auto is_written = [&written](absl::string_view name) {
      return std::any_of(written.begin(), written.end(),
                         [&](const WrittenFlag& flag) { return flag.name == name; });
    };
    if (!own.goes_with.empty() && is_written(own.name) && !is_written(own.goes_with)) {
      return UsageError(io, absl::StrCat("--", own.name, " goes with --", own.goes_with));
    }
  }
  for (const WrittenFlag& flag : written) {
    absl::CommandLineFlag* target = absl::FindCommandLineFlag(flag.name);
    if (!flag.value) {
      if (!target->IsOfType<bool>()) {
        return UsageError(io, absl::StrCat("--", flag.name, " needs a value"));
      }
    }
    std::string error;
    if (!target->ParseFrom(flag.value.value_or("true"), &error)) {
      return UsageError(io, absl::StrCat("--", flag.name, ": \"", *flag.value, "\" is not ",
                                         ExpectedValue(*target)));
    }
  }
  for (const FlagSpec& flag : spec.flags) {
    if (!flag.required) continue;
    const auto value = absl::FindCommandLineFlag(flag.name)->TryGet<TextFlag>();
    if (!value || value->value.empty()) {
      std::string problem =
          absl::StrCat(invocation.command, " needs --", flag.name, "=", flag.value);
      if (!flag.purpose.empty()) absl::StrAppend(&problem, ": ", flag.purpose);
      return UsageError(io, problem);
    }
  }
  return spec.run(invocation, io);
}

}  // namespace velknee::cli
