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

std::unique_ptr<Database> Open(const std::string& path, std::span<const Migration> migrations) {
  DatabaseOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options, migrations);
  EXPECT_THAT(db, IsOk());
  return db.ok() ? *std::move(db) : nullptr;
}

// "archived key client" of every search key, in key order.
std::vector<std::string> SearchKeys(Database& db) {
  std::vector<std::string> rows;
  EXPECT_THAT(db.Read([&](SQLite::Database& connection) {
    SQLite::Statement query(connection,
                            "SELECT archived, key, client_id FROM client_search_keys "
                            "ORDER BY archived, key, client_id");
    while (query.executeStep()) {
      rows.push_back(absl::StrCat(query.getColumn(0).getInt(), " ", query.getColumn(1).getString(),
                                  " ", query.getColumn(2).getString()));
    }
    return absl::OkStatus();
  }),
              IsOk());
  return rows;
}

// Clients stored before the search keys existed get, from the migration, exactly the keys the
// store writes for the same clients, and are found by the search.
TEST(ClientStoreTest, TheMigrationGivesEarlierClientsTheKeysTheStoreWrites) {
  TempDir dir;
  const std::vector<Migration> migrations = IntakeMigrations();
  const std::span<const Migration> before_keys(migrations.data(), 4);
  ASSERT_EQ(before_keys.back().description, "assessments");
  {
    std::unique_ptr<Database> old = Open(dir.File("old.db"), before_keys);
    ASSERT_NE(old, nullptr);
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
  std::unique_ptr<Database> migrated = Open(dir.File("old.db"), migrations);
  ASSERT_NE(migrated, nullptr);

  std::unique_ptr<Database> fresh = Open(dir.File("fresh.db"), migrations);
  ASSERT_NE(fresh, nullptr);
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
