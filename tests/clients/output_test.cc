#include "clients/cli/output.h"

#include "clients/cli/client_commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace velknee::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(AlignedTableTest, AlignsByCharactersNotBytes) {
  EXPECT_EQ(AlignedTable({"A", "B"}, {{"Müller", "x"}, {"Li", "yy"}}),
            "A       B\n"
            "Müller  x\n"
            "Li      yy\n");
}

TEST(LabelledBlockTest, AlignsValuesAndMarksEmptyOnes) {
  EXPECT_EQ(LabelledBlock({{"Name", "Ada"}, {"Emergency contact", ""}}),
            "Name:               Ada\n"
            "Emergency contact:  -\n");
}

TEST(ShellQuoteTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(ShellQuote("abc_-=+/"), "abc_-=+/");
  EXPECT_EQ(ShellQuote("O'Neil smith"), "'O'\\''Neil smith'");
  EXPECT_EQ(ShellQuote(""), "''");
}

TEST(ClientBlockTest, ShowsEveryLabel) {
  intake::v1::Client client;
  client.set_name("clients/abc");
  client.set_given_name("Ada");
  client.set_family_name("Lovelace");
  client.set_phone("+441234567");
  client.mutable_birth_date()->set_year(1985);
  client.mutable_birth_date()->set_month(12);
  client.mutable_birth_date()->set_day(10);
  client.mutable_emergency_contact()->set_name("Charles");
  client.mutable_emergency_contact()->set_phone("+449876543");
  client.set_state(intake::v1::Client::STATE_ACTIVE);
  client.set_etag("e1");
  const std::string block = ClientBlock(client);
  EXPECT_THAT(block, HasSubstr("Name:               Ada Lovelace\n"));
  EXPECT_THAT(block, HasSubstr("Born:               1985-12-10\n"));
  EXPECT_THAT(block, HasSubstr("Emergency contact:  Charles, +449876543\n"));
  EXPECT_THAT(block, HasSubstr("Email:              -\n"));
  EXPECT_THAT(block, HasSubstr("State:              active\n"));
  EXPECT_THAT(block, HasSubstr("Resource name:      clients/abc\n"));
  EXPECT_THAT(block, HasSubstr("Etag:               e1\n"));
}

TEST(ClientTableTest, HintRepeatsTheQueryTheTokenIsBoundTo) {
  intake::v1::ListClientsResponse page;
  auto* client = page.add_clients();
  client->set_name("clients/abc");
  client->set_family_name("Lovelace");
  client->set_given_name("Ada");
  client->set_state(intake::v1::Client::STATE_ARCHIVED);
  page.set_next_page_token("tok123");
  intake::v1::ListClientsRequest request;
  request.set_query("Love lace");
  request.set_show_archived(true);
  request.set_page_size(2);
  const std::string table = ClientTable(page, "velknee-desk", request);
  EXPECT_THAT(table, HasSubstr("RESOURCE NAME  FAMILY    GIVEN  PHONE  STATE\n"
                               "clients/abc    Lovelace  Ada           archived\n"));
  EXPECT_THAT(table, HasSubstr("velknee-desk clients find --query='Love lace' "
                               "--show_archived --page_size=2 --page_token=tok123"));
}

TEST(ClientTableTest, LastPageHasNoHint) {
  intake::v1::ListClientsResponse page;
  EXPECT_EQ(ClientTable(page, "velknee-desk", {}), "No clients found.\n");
  page.add_clients()->set_name("clients/abc");
  EXPECT_THAT(ClientTable(page, "velknee-desk", {}), Not(HasSubstr("page_token")));
}

}  // namespace
}  // namespace velknee::cli
