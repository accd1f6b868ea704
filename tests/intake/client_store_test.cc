// The client store below the service: the search keys a database written before them gets.

#include "services/intake/client_store.h"

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "tests/harness/audit_rows.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee::intake {
namespace {

using ::testing::ElementsAre;
using ::velknee::test::IsOk;
using ::velknee::test::TempDir;

const AuditActor kDesk = {"desk-1", "front_desk", "/velknee.intake.v1.IntakeService/CreateClient"};

struct Person {
  std::string id, given, family, phone;
  bool archived;
};

const std::vector<Person> kPeople = {
    {"aaaaaaaaaaaaaaaaaaaaaaaa", "Greta", "Gardner", "+4407700900123", false},
    {"bbbbbbbbbbbbbbbbbbbbbbbb", "Anna", "Anna", "01614960000", false},  // One name key.
    {"cccccccccccccccccccccccc", "Mary Ann", "O'Brien", "02079460958", true},
};

v1::Client ClientOf(const Person& person) {
  v1::Client client;
  client.set_name(FormatResourceName(kClientPattern, {person.id}));
  client.set_given_name(person.given);
  client.set_family_name(person.family);
  client.set_phone(person.phone);
  client.set_state(person.archived ? v1::Client::STATE_ARCHIVED : v1::Client::STATE_ACTIVE);
  return client;
}

// "archived key client" of every search key, in key order.
std::vector<std::string> SearchKeys(Database& db) {
  return test::RowsAsText(db,
                          "SELECT archived, key, client_id FROM client_search_keys "
                          "ORDER BY archived, key, client_id");
}

// Clients stored before the search keys existed get, from the migration, exactly the keys the
// store writes for the same clients, and are found by the search.
TEST(ClientStoreTest, TheMigrationGivesEarlierClientsTheKeysTheStoreWrites) {
  TempDir dir;
  const std::vector<Migration> migrations = IntakeMigrations();
  const std::span<const Migration> before_keys(migrations.data(), 4);
  ASSERT_EQ(before_keys.back().description, "assessments");
  DatabaseOptions old_file;
  old_file.path = dir.File("old.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> old, Database::Open(old_file, before_keys));
    // The rows as the store wrote them then: lowercased names, the full name, the digits.
    ASSERT_THAT(old->Write([&](SQLite::Database& db) {
      for (const Person& person : kPeople) {
        SQLite::Statement insert(db,
                                 "INSERT INTO clients (id, given_key, family_key, full_name_key, "
                                 "phone_digits, archived, resource) VALUES (?, ?, ?, ?, ?, ?, ?)");
        const std::string given = absl::AsciiStrToLower(person.given);
        const std::string family = absl::AsciiStrToLower(person.family);
        std::string digits = person.phone;
        digits.erase(std::remove(digits.begin(), digits.end(), '+'), digits.end());
        insert.bind(1, person.id);
        insert.bind(2, given);
        insert.bind(3, family);
        insert.bind(4, absl::StrCat(given, " ", family));
        insert.bind(5, digits);
        insert.bind(6, person.archived ? 1 : 0);
        const std::string resource = ClientOf(person).SerializeAsString();
        insert.bind(7, resource.data(), static_cast<int>(resource.size()));
        insert.exec();
      }
      return absl::OkStatus();
    }),
                IsOk());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> migrated, Database::Open(old_file, migrations));
  DatabaseOptions fresh_file;
  fresh_file.path = dir.File("fresh.db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> fresh, Database::Open(fresh_file, migrations));
  ClientStore fresh_store(fresh.get());
  for (const Person& person : kPeople) {
    ASSERT_THAT(fresh_store.CreateWithId({person.id}, ClientOf(person), {}, kDesk), IsOk());
  }
  const std::vector<std::string> keys = SearchKeys(*fresh);
  EXPECT_EQ(keys.size(), 2 + 13 + 1 + 11 + 2 + 11) << ::testing::PrintToString(keys);
  EXPECT_EQ(SearchKeys(*migrated), keys);

  ClientStore store(migrated.get());
  absl::StatusOr<ResourcePage<v1::Client>> found = store.List({"mary ann o", true}, 10, "");
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->items.size(), 1);
  EXPECT_EQ(found->items[0].family_name(), "O'Brien");
  found = store.List({"4960", false}, 10, "");
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->items.size(), 1);
  EXPECT_EQ(found->items[0].family_name(), "Anna");
}

}  // namespace
}  // namespace velknee::intake
