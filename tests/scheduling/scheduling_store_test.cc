// The scheduling store below the service: the therapist listings a database written before them
// gets.

#include "services/scheduling/scheduling_store.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/scheduling_service.h"
#include "tests/harness/audit_rows.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee::scheduling {
namespace {

using common::v1::Technique;
using ::velknee::test::IsOk;

const AuditActor kAdmin = {"admin", "admin",
                           "/velknee.scheduling.v1.SchedulingService/CreateTherapist"};

// "technique show_inactive therapist" of every listing, in order.
std::vector<std::string> Listings(Database& db) {
  return test::RowsAsText(db, "SELECT * FROM therapist_listings ORDER BY 1, 2, 3");
}

TEST(SchedulingStoreTest, TheMigrationListsEarlierTherapistsAsTheStoreDoes) {
  test::TempDir dir;
  std::vector<v1::Therapist> therapists(3);
  therapists[0].set_name("therapists/ana");
  therapists[0].set_active(true);
  therapists[0].add_techniques(Technique::TECHNIQUE_DEEP_TISSUE);
  therapists[0].add_techniques(Technique::TECHNIQUE_MYOFASCIAL_RELEASE);
  therapists[1].set_name("therapists/ben");
  therapists[1].add_techniques(Technique::TECHNIQUE_TRIGGER_POINT);  // Inactive.
  therapists[2].set_name("therapists/cai");
  therapists[2].set_active(true);  // No techniques yet.

  const std::vector<Migration> migrations = SchedulingMigrations();
  const std::span<const Migration> before_listings(migrations.data(), 3);
  DatabaseOptions old_file;
  old_file.path = dir.File("old.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> old, Database::Open(old_file, before_listings));
    // The rows as the store wrote them then: the techniques as bits, the active flag.
    ASSERT_THAT(old->Write([&](SQLite::Database& db) {
      for (const v1::Therapist& therapist : therapists) {
        SQLite::Statement insert(
            db, "INSERT INTO therapists (id, techniques, active, resource) VALUES (?, ?, ?, ?)");
        int64_t bits = 0;
        for (int technique : therapist.techniques()) bits |= int64_t{1} << technique;
        insert.bind(1, therapist.name().substr(therapist.name().find('/') + 1));
        insert.bind(2, bits);
        insert.bind(3, therapist.active() ? 1 : 0);
        const std::string resource = therapist.SerializeAsString();
        insert.bind(4, resource.data(), static_cast<int>(resource.size()));
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
  SchedulingStore fresh_store(fresh.get());
  for (const v1::Therapist& therapist : therapists) {
    ASSERT_THAT(fresh_store.CreateTherapist(therapist.name().substr(11), therapist, {}, kAdmin),
                IsOk());
  }
  EXPECT_THAT(Listings(*fresh),
              ::testing::ElementsAre("0 0 ana", "0 0 cai", "0 1 ana", "0 1 ben", "0 1 cai",
                                     "1 0 ana", "1 1 ana", "2 1 ben", "3 0 ana", "3 1 ana"));
  EXPECT_EQ(Listings(*migrated), Listings(*fresh));

  SchedulingStore store(migrated.get());
  absl::StatusOr<ResourcePage<v1::Therapist>> page =
      store.ListTherapists(Technique::TECHNIQUE_TRIGGER_POINT, /*show_inactive=*/true, 10, "");
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->items.size(), 1);
  EXPECT_EQ(page->items[0].name(), "therapists/ben");
}

}  // namespace
}  // namespace velknee::scheduling
