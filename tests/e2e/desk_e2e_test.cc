// The front desk's day, end to end: a real velknee-server process on a loopback port, driven only
// through velknee-desk command lines. Assertions are about what a receptionist sees on screen (or
// a script reads from --json), not about byte-exact layout.

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_process.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee {
namespace {

using intake::v1::Client;
using intake::v1::ListClientsResponse;
using test::ClinicProcess;
using test::CommandResult;
using test::LineCount;
using test::LineWith;
using test::ParseJson;
using test::ReadFile;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Invented clients. The phones are in Ofcom's ranges reserved for drama, so they reach no one.
const std::vector<std::string> kGardener = {
    "--given_name=Hazel", "--family_name=Thornbury", "--phone=+44 7700 900123",
    "--email=hazel.thornbury@example.org", "--note=gardener; prefers early mornings"};
const std::vector<std::string> kOfficeWorker = {"--given_name=Oskar", "--family_name=Lindqvist",
                                                "--phone=020 7946 0958",
                                                "--note=office worker; desk job"};

class DeskE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Tests choose the token explicitly; one inherited from the shell must not leak in.
    ::unsetenv("VELKNEE_TOKEN");
    desk_token_file_ = clinic_.AddToken("front_desk", "desk-e2e");
    // Added before the start: a running server picks up new tokens only on its next reload.
    therapist_token_file_ = clinic_.AddToken("therapist", "t-e2e", "therapists/t-e2e");
    service_token_file_ = clinic_.AddToken("service", "svc-other");
    port_ = clinic_.Start();
    ASSERT_NE(port_, 0) << clinic_.ServerLog();
  }

  std::string Target() const { return absl::StrCat("--target=127.0.0.1:", port_); }

  // `velknee-desk clients args...` as the front desk (or the holder of `token_file`).
  CommandResult Clients(std::vector<std::string> args, const std::string& token_file = "") const {
    args.insert(args.begin(), "clients");
    args.push_back(Target());
    args.push_back("--token_file=" + (token_file.empty() ? desk_token_file_ : token_file));
    return clinic_.Desk(args);
  }

  // Registers a client and returns it as the server answered, via --json.
  Client Add(const std::vector<std::string>& fields) {
    std::vector<std::string> args = {"add", "--json"};
    args.insert(args.end(), fields.begin(), fields.end());
    const CommandResult added = Clients(args);
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return ParseJson<Client>(added.out);
  }

  ClinicProcess clinic_;
  std::string desk_token_file_;
  std::string therapist_token_file_;
  std::string service_token_file_;
  int port_ = 0;
};

TEST_F(DeskE2eTest, RegistersClientsAndFindsThemByNamePrefixAndPhoneDigits) {
  std::vector<std::string> add = {"add"};
  add.insert(add.end(), kGardener.begin(), kGardener.end());
  const CommandResult gardener = Clients(add);
  ASSERT_EQ(gardener.exit_code, 0) << gardener.err;
  EXPECT_THAT(gardener.out, AllOf(HasSubstr("Hazel Thornbury"), HasSubstr("+447700900123"),
                                  HasSubstr("hazel.thornbury@example.org"), HasSubstr("gardener"),
                                  HasSubstr("active"), HasSubstr("clients/")));
  EXPECT_THAT(gardener.err, IsEmpty());
  const Client office_worker = Add(kOfficeWorker);

  // A name prefix, typed in lower case as people do at a busy desk.
  const CommandResult by_name = Clients({"find", "--query=thorn"});
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
  EXPECT_THAT(LineWith(by_name.out, "Thornbury"),
              AllOf(HasSubstr("Hazel"), HasSubstr("+447700900123")));
  EXPECT_THAT(by_name.out, Not(HasSubstr("Lindqvist")));

  // Digits from the middle of a phone number, ignoring how it was written when registered.
  const CommandResult by_phone = Clients({"find", "--query=7946"});
  ASSERT_EQ(by_phone.exit_code, 0) << by_phone.err;
  EXPECT_THAT(LineWith(by_phone.out, "Lindqvist"),
              AllOf(HasSubstr(office_worker.name()), HasSubstr("Oskar")));
  EXPECT_THAT(by_phone.out, Not(HasSubstr("Thornbury")));

  const CommandResult everyone = Clients({"find"});
  ASSERT_EQ(everyone.exit_code, 0) << everyone.err;
  EXPECT_THAT(everyone.out, AllOf(HasSubstr("Thornbury"), HasSubstr("Lindqvist")));

  const CommandResult nobody = Clients({"find", "--query=Zzyzx"});
  ASSERT_EQ(nobody.exit_code, 0) << nobody.err;
  EXPECT_THAT(nobody.out, HasSubstr("No clients found."));

  // `show` takes the resource name from the table, or only its id.
  const std::string id = office_worker.name().substr(office_worker.name().find('/') + 1);
  for (const std::string& name : {office_worker.name(), id}) {
    const CommandResult shown = Clients({"show", name});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, AllOf(HasSubstr("Oskar Lindqvist"), HasSubstr("02079460958"),
                                 HasSubstr("office worker"), HasSubstr(office_worker.etag())));
  }
}

TEST_F(DeskE2eTest, EditChangesThePhoneAndAStaleEtagIsRefusedWithAborted) {
  const Client gardener = Add(kGardener);
  ASSERT_FALSE(gardener.etag().empty());

  const CommandResult edited =
      Clients({"edit", gardener.name(), "--phone=+44 7700 900456", "--etag=" + gardener.etag()});
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_THAT(edited.out, HasSubstr("+447700900456"));
  EXPECT_THAT(edited.out, Not(HasSubstr(gardener.etag())));

  // A second desk still holding the etag it saw before the first edit.
  const CommandResult stale =
      Clients({"edit", gardener.name(), "--phone=+44 7700 900789", "--etag=" + gardener.etag()});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_EQ(LineCount(stale.err), 1) << stale.err;
  EXPECT_THAT(stale.err, StartsWith("error: ABORTED"));
  EXPECT_THAT(stale.out, IsEmpty());

  const CommandResult shown = Clients({"show", gardener.name()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("+447700900456"));
  EXPECT_THAT(shown.out, Not(HasSubstr("900789")));
}

TEST_F(DeskE2eTest, ArchivedClientLeavesFindButShowArchivedStillListsIt) {
  const Client gardener = Add(kGardener);
  Add(kOfficeWorker);

  const CommandResult archived = Clients({"archive", gardener.name(), "--etag=" + gardener.etag()});
  ASSERT_EQ(archived.exit_code, 0) << archived.err;
  EXPECT_THAT(archived.out, HasSubstr("archived"));

  const CommandResult active = Clients({"find"});
  ASSERT_EQ(active.exit_code, 0) << active.err;
  EXPECT_THAT(active.out, HasSubstr("Lindqvist"));
  EXPECT_THAT(active.out, Not(HasSubstr("Thornbury")));

  const CommandResult all = Clients({"find", "--show_archived"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(LineWith(all.out, "Thornbury"), HasSubstr("archived"));
  EXPECT_THAT(LineWith(all.out, "Lindqvist"), HasSubstr("active"));
}

TEST_F(DeskE2eTest, JsonOutputParsesIntoTheApiMessagesAScriptNeeds) {
  std::vector<std::string> add = {"add", "--json"};
  add.insert(add.end(), kOfficeWorker.begin(), kOfficeWorker.end());
  const CommandResult added = Clients(add);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const Client client = ParseJson<Client>(added.out);
  EXPECT_THAT(client.name(), StartsWith("clients/"));
  EXPECT_FALSE(client.etag().empty());
  EXPECT_EQ(client.given_name(), "Oskar");
  EXPECT_EQ(client.family_name(), "Lindqvist");
  EXPECT_EQ(client.phone(), "02079460958");
  EXPECT_EQ(client.state(), Client::STATE_ACTIVE);
  EXPECT_TRUE(client.has_create_time());

  const CommandResult found = Clients({"find", "--json", "--query=Lind"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const ListClientsResponse page = ParseJson<ListClientsResponse>(found.out);
  ASSERT_EQ(page.clients_size(), 1) << found.out;
  EXPECT_EQ(page.clients(0).name(), client.name());
  EXPECT_EQ(page.clients(0).etag(), client.etag());
  EXPECT_TRUE(page.next_page_token().empty());

  const CommandResult shown = Clients({"show", "--json", client.name()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const Client again = ParseJson<Client>(shown.out);
  EXPECT_EQ(again.name(), client.name());
  EXPECT_EQ(again.front_desk_note(), "office worker; desk job");
}

TEST_F(DeskE2eTest, BadPhoneOrEmailIsOneErrorLineNamingTheFieldAndTheRule) {
  const CommandResult short_phone =
      Clients({"add", "--given_name=Hazel", "--family_name=Thornbury", "--phone=12"});
  EXPECT_EQ(short_phone.exit_code, 1);
  EXPECT_EQ(LineCount(short_phone.err), 1) << short_phone.err;
  EXPECT_THAT(short_phone.err, AllOf(StartsWith("error: INVALID_ARGUMENT"), HasSubstr("phone"),
                                     HasSubstr("7 to 15 digits")));

  const CommandResult bad_email = Clients({"add", "--given_name=Hazel", "--family_name=Thornbury",
                                           "--phone=+44 7700 900123", "--email=x@"});
  EXPECT_EQ(bad_email.exit_code, 1);
  EXPECT_EQ(LineCount(bad_email.err), 1) << bad_email.err;
  EXPECT_THAT(bad_email.err, AllOf(StartsWith("error: INVALID_ARGUMENT"), HasSubstr("email"),
                                   HasSubstr("must look like")));

  const CommandResult found = Clients({"find", "--show_archived"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("No clients found."));
}

TEST_F(DeskE2eTest, TokenComesFromTheEnvironmentAndAnUnknownOneIsUnauthenticated) {
  const std::vector<std::string> find = {"clients", "find", Target()};

  // No token at all: the desk says how to give one without calling the server (exit 2, a local
  // configuration error).
  const CommandResult none = clinic_.Desk(find);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(LineCount(none.err), 1) << none.err;
  EXPECT_THAT(none.err, AllOf(HasSubstr("no token"), HasSubstr("VELKNEE_TOKEN")));

  const std::string invented = "vk_not-a-token-this-clinic-issued";
  const CommandResult unknown = clinic_.Desk(find, {"VELKNEE_TOKEN=" + invented});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(LineCount(unknown.err), 1) << unknown.err;
  EXPECT_THAT(unknown.err, StartsWith("error: UNAUTHENTICATED"));
  EXPECT_THAT(unknown.err, Not(HasSubstr(invented)));

  const std::string token(absl::StripTrailingAsciiWhitespace(ReadFile(desk_token_file_)));
  const CommandResult from_env = clinic_.Desk(find, {"VELKNEE_TOKEN=" + token});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_THAT(from_env.out, HasSubstr("No clients found."));
}

TEST_F(DeskE2eTest, TherapistTokenRegistersAndLooksUpClientsToo) {
  std::vector<std::string> add = {"add"};
  add.insert(add.end(), kGardener.begin(), kGardener.end());
  const CommandResult added = Clients(add, therapist_token_file_);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("Hazel Thornbury"));

  const CommandResult found = Clients({"find", "--query=Hazel"}, therapist_token_file_);
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("Thornbury"));
}

TEST_F(DeskE2eTest, ServiceTokenIsDeniedRegisteringAClientButMayShowOne) {
  std::vector<std::string> add = {"add"};
  add.insert(add.end(), kGardener.begin(), kGardener.end());
  const CommandResult denied = Clients(add, service_token_file_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_EQ(LineCount(denied.err), 1) << denied.err;
  EXPECT_THAT(denied.err, StartsWith("error: PERMISSION_DENIED"));

  const CommandResult found = Clients({"find", "--show_archived"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("No clients found."));

  // The denial is about the role, not a broken token: peers may read a client by name.
  const Client office_worker = Add(kOfficeWorker);
  const CommandResult shown = Clients({"show", office_worker.name()}, service_token_file_);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Oskar Lindqvist"));
}

// The programs as a shell runs them, before any server is involved: help exits 0 and shows only
// the program's own commands; a line that cannot run exits 2 with one error line.
TEST(ClientProgramsE2eTest, HelpExitsZeroAndShowsOnlyTheProgramsOwnCommands) {
  const CommandResult desk = test::RunDesk({"--help"});
  EXPECT_EQ(desk.exit_code, 0) << desk.err;
  EXPECT_THAT(desk.out, HasSubstr("\n  book "));
  EXPECT_THAT(desk.out, Not(HasSubstr("\n  intake ")));
  EXPECT_THAT(desk.out, Not(HasSubstr("\n  note ")));
  EXPECT_THAT(desk.out, Not(HasSubstr("from_file")));
  EXPECT_THAT(desk.out, Not(HasSubstr("from-file")));
  EXPECT_THAT(desk.out, Not(HasSubstr(".cc")));
  EXPECT_THAT(desk.err, IsEmpty());

  const CommandResult book = test::RunDesk({"book", "--help"});
  EXPECT_EQ(book.exit_code, 0) << book.err;
  EXPECT_THAT(book.out, StartsWith("usage: velknee-desk book --client=clients/ID"));
  EXPECT_THAT(book.out, Not(HasSubstr("book-series")));

  const CommandResult tablet = test::RunTablet({"note", "sign", "--help"});
  EXPECT_EQ(tablet.exit_code, 0) << tablet.err;
  EXPECT_THAT(tablet.out, StartsWith("usage: velknee-tablet note sign clients/ID/notes/ID"));
}

TEST(ClientProgramsE2eTest, UsageErrorsExitTwoWithOneLine) {
  for (const auto& [args, line] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"intake", "new", "--client=clients/c1"}, "error: unknown command \"intake\"\n"},
           {{"day", "--bogus"}, "error: unknown flag --bogus\n"},
           {{"cancel"}, "error: cancel needs the appointment's resource name, appointments/ID\n"},
           {{"checkin", "appointments/a1", "--reason=late"},
            "error: --reason does not apply to checkin\n"},
       }) {
    const CommandResult result = test::RunDesk(args);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_EQ(result.err, line);
    EXPECT_EQ(LineCount(result.err), 1);
    EXPECT_THAT(result.out, IsEmpty());
  }
  const CommandResult tablet = test::RunTablet({"plan", "show"});
  EXPECT_EQ(tablet.exit_code, 2);
  EXPECT_EQ(tablet.err, "error: plan show needs the plan's resource name, clients/ID/plans/ID\n");
}

}  // namespace
}  // namespace velknee
