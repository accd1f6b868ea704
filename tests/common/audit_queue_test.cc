#include "common/audit/audit_queue.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee {
namespace {

using ::velknee::test::IsOk;
using ::velknee::test::TempDir;

class AuditQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.File("intake.db");
    auto db = Database::Open(options, migrations_);
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
  }

  static AuditEvent Read(const std::string& resource) {
    return AuditEvent{absl::Now(),
                      {"ana", "therapist", "/velknee.intake.v1.IntakeService/GetClient"},
                      resource,
                      absl::StatusCode::kOk};
  }

  std::vector<std::string> Resources() {
    std::vector<std::string> resources;
    EXPECT_THAT(db_->Read([&](SQLite::Database& db) {
      SQLite::Statement query(db, "SELECT resource FROM audit_log ORDER BY seq");
      while (query.executeStep()) resources.push_back(query.getColumn(0).getString());
      return VerifyAuditChain(db);
    }),
                IsOk());
    return resources;
  }

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kAuditMigration};
  std::unique_ptr<Database> db_;
};

TEST_F(AuditQueueTest, FlushReturnsOnceEveryEarlierEventIsInAnIntactChain) {
  AuditQueue queue(db_.get());
  queue.Add(Read("clients/a"));
  queue.Add(Read("clients/b"));
  queue.Flush();
  EXPECT_THAT(Resources(), ::testing::ElementsAre("clients/a", "clients/b"));
}

TEST_F(AuditQueueTest, EventsQueuedAtShutdownAreWrittenBeforeTheQueueGoes) {
  {
    AuditQueue queue(db_.get());
    for (int i = 0; i < 100; ++i) queue.Add(Read(absl::StrCat("clients/c", i)));
  }
  EXPECT_EQ(Resources().size(), 100u);
}

TEST_F(AuditQueueTest, ConcurrentReadersLoseNoEvent) {
  AuditQueue queue(db_.get());
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&queue, t] {
      for (int i = 0; i < 250; ++i) queue.Add(Read(absl::StrCat("clients/t", t, "-", i)));
    });
  }
  for (std::thread& reader : readers) reader.join();
  queue.Flush();
  EXPECT_EQ(Resources().size(), 1000u);
}

}  // namespace
}  // namespace velknee
