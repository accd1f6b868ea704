// The command lines of velknee-desk and velknee-tablet as a user meets them:
// --help for the program, a group and each command (exit 0, only what that
// program or command takes), and usage errors (exit 2, one line naming the
// problem, nothing on standard output, no call made: no token is set up here,
// so a command that got as far as connecting would fail differently).

#include "clients/cli/program.h"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/command.h"
#include "clients/cli/desk_program.h"
#include "clients/cli/error_line.h"
#include "clients/cli/tablet_program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/command_line.h"

namespace velknee::cli {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Every flag name some command of `registry` takes.
std::set<std::string> FlagNames(const CommandRegistry& registry) {
  std::set<std::string> names;
  for (const CommandSpec& spec : registry.commands()) {
    for (const FlagSpec& flag : spec.flags) names.insert(flag.name);
  }
  return names;
}

std::set<std::string> CommandNames(const CommandRegistry& registry) {
  std::set<std::string> names;
  for (const CommandSpec& spec : registry.commands()) names.insert(CommandName(spec));
  return names;
}

class ProgramTest : public ::testing::Test {
 protected:
  int Desk(const std::vector<std::string>& args) {
    Reset();
    return RunDeskLine(args, out_, err_, in_);
  }
  int Tablet(const std::vector<std::string>& args) {
    Reset();
    return RunTabletLine(args, out_, err_, in_);
  }

  // What a usage error must look like: exactly `line` on stderr, nothing on
  // stdout.
  void ExpectUsageError(int exit_code, const std::string& line) {
    EXPECT_EQ(exit_code, kExitUsage) << err_.str();
    EXPECT_EQ(err_.str(), absl::StrCat("error: ", line, "\n"));
    EXPECT_THAT(out_.str(), IsEmpty());
  }

  // Each line starts from the default flags, as a new process would.
  void Reset() {
    flag_saver_.reset();
    flag_saver_.emplace();
    out_.str("");
    err_.str("");
  }

  std::optional<absl::FlagSaver> flag_saver_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::istringstream in_;
};

TEST_F(ProgramTest, DeskHelpListsTheDeskCommandsAndNothingOfTheTablet) {
  ASSERT_EQ(Desk({"--help"}), kExitOk) << err_.str();
  const std::string help = out_.str();
  EXPECT_THAT(err_.str(), IsEmpty());
  EXPECT_THAT(help, StartsWith("velknee-desk: the velknee front-desk client.\n"));
  for (const std::string& name : CommandNames(DeskCommands())) {
    EXPECT_THAT(help, HasSubstr(absl::StrCat("\n  ", name, " "))) << name;
  }
  const std::set<std::string> desk_commands = CommandNames(DeskCommands());
  int tablet_only_commands = 0;
  for (const std::string& name : CommandNames(TabletCommands())) {
    if (desk_commands.count(name) > 0) continue;
    ++tablet_only_commands;
    EXPECT_THAT(help, Not(HasSubstr(name))) << name;
  }
  EXPECT_GT(tablet_only_commands, 10);
  const std::set<std::string> desk_flags = FlagNames(DeskCommands());
  int tablet_only_flags = 0;
  for (const std::string& flag : FlagNames(TabletCommands())) {
    if (desk_flags.count(flag) > 0) continue;
    ++tablet_only_flags;
    std::string dashed = flag;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    EXPECT_THAT(help, Not(HasSubstr(absl::StrCat("--", flag)))) << flag;
    EXPECT_THAT(help, Not(HasSubstr(absl::StrCat("--", dashed)))) << dashed;
  }
  EXPECT_GT(tablet_only_flags, 4);
  // absl's own usage text named the source files that define each flag.
  EXPECT_THAT(help, Not(HasSubstr(".cc")));
  EXPECT_THAT(help, Not(HasSubstr("Flags from")));
  EXPECT_THAT(help, HasSubstr("--target=HOST:PORT"));
  EXPECT_THAT(help, HasSubstr("exit status: 0 done, 1 the server refused"));
}

TEST_F(ProgramTest, TabletHelpListsTheClinicalCommandsAndNoBooking) {
  ASSERT_EQ(Tablet({"--help"}), kExitOk) << err_.str();
  const std::string help = out_.str();
  EXPECT_THAT(help, HasSubstr("\n  intake new "));
  EXPECT_THAT(help, HasSubstr("\n  note addendum "));
  EXPECT_THAT(help, HasSubstr("\n  progress "));
  EXPECT_THAT(help, HasSubstr("\n  clients find "));
  EXPECT_THAT(help, Not(HasSubstr("book")));
  EXPECT_THAT(help, Not(HasSubstr("therapists")));
  EXPECT_THAT(help, Not(HasSubstr(".cc")));
}

TEST_F(ProgramTest, EveryCommandHasItsOwnHelpWithItsFlagsOnly) {
  for (const auto& [program, registry] :
       {std::pair{std::string("velknee-desk"), DeskCommands()},
        std::pair{std::string("velknee-tablet"), TabletCommands()}}) {
    const std::set<std::string> all_flags = FlagNames(registry);
    for (const CommandSpec& spec : registry.commands()) {
      std::vector<std::string> args = spec.words;
      args.push_back("--help");
      const int exit_code = program == "velknee-desk" ? Desk(args) : Tablet(args);
      const std::string name = CommandName(spec);
      ASSERT_EQ(exit_code, kExitOk) << program << " " << name << ": " << err_.str();
      const std::string help = out_.str();
      EXPECT_THAT(help, StartsWith(absl::StrCat("usage: ", program, " ", name,
                                                spec.operand.empty() ? "" : " ", spec.operand)))
          << help;
      EXPECT_THAT(help, HasSubstr(spec.summary)) << name;
      std::set<std::string> own;
      for (const FlagSpec& flag : spec.flags) {
        own.insert(flag.name);
        EXPECT_THAT(help, HasSubstr(absl::StrCat("\n  --", flag.name))) << name;
      }
      for (const std::string& flag : all_flags) {
        if (own.count(flag) == 0) {
          EXPECT_THAT(help, Not(HasSubstr(absl::StrCat("--", flag, "="))))
              << name << " shows --" << flag;
        }
      }
      EXPECT_THAT(help, Not(HasSubstr(".cc"))) << name;
    }
  }
}

TEST_F(ProgramTest, BookHelpShowsBookAlone) {
  ASSERT_EQ(Desk({"book", "--help"}), kExitOk);
  const std::string help = out_.str();
  EXPECT_THAT(help, StartsWith("usage: velknee-desk book --client=clients/ID "
                               "--therapist=therapists/ID --start=\"YYYY-MM-DD HH:MM\" "
                               "[--duration=MIN] [--plan=clients/ID/plans/ID]"));
  EXPECT_THAT(help, HasSubstr("--client=clients/ID   (required)\n"));
  EXPECT_THAT(help, HasSubstr("Idempotency key"));
  EXPECT_THAT(help, Not(HasSubstr("book-series")));
  EXPECT_THAT(help, Not(HasSubstr("--reason")));
  EXPECT_THAT(help, Not(HasSubstr("cancel an appointment")));
}

// The fields the contract requires of a client show as required, yet a missing one is left to
// the server, which names every missing field in one answer.
TEST_F(ProgramTest, ClientsAddShowsTheRequiredFieldsButLeavesTheCheckToTheServer) {
  ASSERT_EQ(Desk({"clients", "add", "--help"}), kExitOk);
  const std::string help = out_.str();
  EXPECT_THAT(help, StartsWith("usage: velknee-desk clients add --given_name=G --family_name=F "
                               "--phone=P [--email=E]"));
  EXPECT_THAT(help, HasSubstr("--given_name=G   (required)\n"));
  EXPECT_THAT(help, HasSubstr("--phone=P   (required)\n"));
  EXPECT_THAT(help, HasSubstr("--email=E\n"));
  ASSERT_EQ(Desk({"clients", "edit", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("[--given_name=G]"));

  // No token is set up here: the command got past the flag checks to opening the connection.
  EXPECT_EQ(Desk({"clients", "add", "--email=hazel@example.org"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("no token"));
}

TEST_F(ProgramTest, HelpWinsOverWhatElseTheLineSays) {
  EXPECT_EQ(Desk({"cancel", "--help", "appointments/a1", "--etag=e"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("usage: velknee-desk cancel appointments/ID"));
  EXPECT_EQ(Desk({"-h"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("velknee-desk: "));
}

TEST_F(ProgramTest, GroupHelpListsTheGroupsCommands) {
  ASSERT_EQ(Tablet({"plan", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("usage: velknee-tablet plan COMMAND"));
  EXPECT_THAT(out_.str(), HasSubstr("\n  plan discontinue "));
  EXPECT_THAT(out_.str(), Not(HasSubstr("intake")));
}

TEST_F(ProgramTest, VersionExitsZero) {
  EXPECT_EQ(Desk({"--version"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("velknee-desk "));
}

TEST_F(ProgramTest, TheDeskHasNoClinicalCommandAtAll) {
  ExpectUsageError(Desk({"intake", "new", "--client=clients/c1"}), "unknown command \"intake\"");
  ExpectUsageError(Desk({"note", "--help"}), "unknown command \"note\"");
  ExpectUsageError(Desk({"progress", "--plan=clients/c1/plans/p1"}),
                   "unknown command \"progress\"");
  // A flag only clinical commands take is unknown to the desk.
  ExpectUsageError(Desk({"clients", "find", "--submit"}), "unknown flag --submit");
}

TEST_F(ProgramTest, UnknownCommandsAndFlags) {
  ExpectUsageError(Desk({}), "missing command");
  ExpectUsageError(Desk({"fly"}), "unknown command \"fly\"");
  ExpectUsageError(Desk({"clients"}), "missing clients command");
  ExpectUsageError(Tablet({"plan", "delete"}), "unknown plan command \"delete\"");
  ExpectUsageError(Desk({"day", "--bogus"}), "unknown flag --bogus");
  ExpectUsageError(Desk({"day", "--bogus=1"}), "unknown flag --bogus");
  // Flags of libraries linked in (gRPC, absl) are not the program's.
  ExpectUsageError(Desk({"day", "--flagfile=x"}), "unknown flag --flagfile");
  ExpectUsageError(Tablet({"note", "show", "clients/c1/notes/n1", "--hours=x"}),
                   "unknown flag --hours");
}

// An unknown flag is named before the command line is read any further: neither a missing
// command nor the word after the flag (taken for an argument) hides it.
TEST_F(ProgramTest, AnUnknownFlagIsNamedBeforeTheCommandAndItsArguments) {
  ExpectUsageError(Desk({"--bogus"}), "unknown flag --bogus");
  ExpectUsageError(Desk({"day", "--bogus", "5"}), "unknown flag --bogus");
  ExpectUsageError(Tablet({"--bogus", "plan"}), "unknown flag --bogus");
}

TEST_F(ProgramTest, MissingArgumentsAndRequiredFlags) {
  ExpectUsageError(Desk({"cancel"}),
                   "cancel needs the appointment's resource name, appointments/ID");
  ExpectUsageError(Desk({"checkin", "appointments/a", "appointments/b"}),
                   "unexpected argument \"appointments/b\"");
  ExpectUsageError(Desk({"day", "2026-01-01"}), "unexpected argument \"2026-01-01\"");
  ExpectUsageError(Desk({"book", "--therapist=therapists/ana", "--start=2026-01-05 10:00"}),
                   "book needs --client=clients/ID");
  ExpectUsageError(Desk({"book", "--client=clients/c1", "--start=2026-01-05 10:00"}),
                   "book needs --therapist=therapists/ID");
  ExpectUsageError(Desk({"book", "--client=clients/c1", "--therapist=therapists/ana"}),
                   "book needs --start=\"YYYY-MM-DD HH:MM\"");
  ExpectUsageError(Desk({"book-series", "--therapist=therapists/ana", "--start=2026-01-05 10:00"}),
                   "book-series needs --plan=clients/ID/plans/ID");
  ExpectUsageError(Desk({"cancel", "appointments/a1", "--reason="}),
                   "cancel needs --reason=TEXT: why the appointment is cancelled");
  ExpectUsageError(Desk({"slots", "--therapist=therapists/ana"}), "slots needs --from=YYYY-MM-DD");
  ExpectUsageError(Desk({"slots", "--from=2026-01-05"}),
                   "slots needs exactly one of --therapist=therapists/ID and --technique=X");
  ExpectUsageError(Desk({"therapists", "hours", "therapists/ana"}),
                   "therapists hours needs --hours=TEXT");
  ExpectUsageError(Desk({"therapists", "add", "--hours=mon 09:00-17:00"}),
                   "therapists add needs --display_name=NAME");
}

TEST_F(ProgramTest, FlagsOfAnotherCommandAreRefusedByName) {
  ExpectUsageError(Desk({"checkin", "appointments/a1", "--reason=late", "--date=2026-01-05"}),
                   "--reason, --date does not apply to checkin");
  ExpectUsageError(Desk({"day", "--query=Ada"}), "--query does not apply to day");
}

TEST_F(ProgramTest, ValuesAFlagCannotHold) {
  ExpectUsageError(Desk({"slots", "--therapist=therapists/ana", "--from=2026-01-05", "--days=x"}),
                   "--days: \"x\" is not a whole number");
  ExpectUsageError(Desk({"day", "--json=maybe"}), "--json: \"maybe\" is not true or false");
  ExpectUsageError(Desk({"day", "--timeout=soon"}),
                   "--timeout: \"soon\" is not a duration such as 10s or 500ms");
  ExpectUsageError(Desk({"clients", "find", "--page_size"}), "--page_size needs a value");
  ExpectUsageError(Desk({"book", "--client=c1", "--therapist=therapists/ana",
                         "--start=2026-01-05 10:00", "--duration=-5"}),
                   "--duration: must be positive");
  ExpectUsageError(Desk({"day", "--date=2026-02-30"}), "--date: no such date, got \"2026-02-30\"");
}

TEST_F(ProgramTest, FlagNamesWithDashesAndValuesInTheNextWord) {
  // Both reach the command: it fails only at the missing token.
  unsetenv("VELKNEE_TOKEN");
  EXPECT_EQ(Desk({"clients", "find", "--show-archived", "--page-size", "5", "--query", "Ada"}),
            kExitUsage);
  EXPECT_EQ(err_.str(), "error: no token: pass --token_file=FILE or set VELKNEE_TOKEN\n");
  EXPECT_EQ(absl::GetFlag(FLAGS_page_size), 5);
  // After "--" every word is an argument, even one that looks like a flag.
  ExpectUsageError(Desk({"clients", "show", "clients/a", "--", "--json"}),
                   "unexpected argument \"--json\"");
}

}  // namespace
}  // namespace velknee::cli
