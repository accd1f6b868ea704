#include "common/audit/audit_log.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

constexpr int kEvents = 6;

AuditEvent Event(int i) {
  return AuditEvent{absl::FromUnixSeconds(1714550400 + i * 60),
                    {i % 2 == 0 ? "tablet-ana" : "desk-1", i % 2 == 0 ? "therapist" : "front_desk",
                     "/velknee.intake.v1.IntakeService/GetClient"},
                    absl::StrCat("clients/c", i),
                    i == 3 ? absl::StatusCode::kPermissionDenied : absl::StatusCode::kOk};
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.File("audit.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, migrations_));
  }

  void AppendEvents(int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_THAT(db_->Write([&](SQLite::Database& connection) {
        AppendAuditEvent(connection, Event(appended_++));
        return absl::OkStatus();
      }),
                  IsOk());
    }
  }

  absl::Status Verify() {
    absl::Status verdict;
    EXPECT_THAT(db_->Read([&](SQLite::Database& connection) {
      verdict = VerifyAuditChain(connection);
      return absl::OkStatus();
    }),
                IsOk());
    return verdict;
  }

  // What someone with the sqlite3 shell could do: drop the guard triggers, then edit.
  void TamperWith(const std::string& sql) {
    ASSERT_THAT(db_->Write([&](SQLite::Database& connection) {
      connection.exec("DROP TRIGGER IF EXISTS audit_log_no_update");
      connection.exec("DROP TRIGGER IF EXISTS audit_log_no_delete");
      connection.exec(sql);
      return absl::OkStatus();
    }),
                IsOk());
  }

  int Rows() {
    int count = -1;
    EXPECT_THAT(db_->Read([&](SQLite::Database& connection) {
      count = connection.execAndGet("SELECT COUNT(*) FROM audit_log").getInt();
      return absl::OkStatus();
    }),
                IsOk());
    return count;
  }

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kAuditMigration};
  std::unique_ptr<Database> db_;
  int appended_ = 0;
};

TEST_F(AuditLogTest, EmptyLogVerifies) { EXPECT_THAT(Verify(), IsOk()); }

TEST_F(AuditLogTest, AppendedEventsVerifyAndAreStored) {
  AppendEvents(kEvents);
  EXPECT_THAT(Verify(), IsOk());
  EXPECT_EQ(Rows(), kEvents);
  ASSERT_THAT(db_->Read([](SQLite::Database& connection) {
    SQLite::Statement row(connection,
                          "SELECT principal, role, method, resource, code FROM audit_log "
                          "WHERE resource = 'clients/c3'");
    EXPECT_TRUE(row.executeStep());
    EXPECT_EQ(row.getColumn(0).getString(), "desk-1");
    EXPECT_EQ(row.getColumn(1).getString(), "front_desk");
    EXPECT_EQ(row.getColumn(2).getString(), "/velknee.intake.v1.IntakeService/GetClient");
    EXPECT_EQ(row.getColumn(4).getInt(), static_cast<int>(absl::StatusCode::kPermissionDenied));
    return absl::OkStatus();
  }),
              IsOk());
}

// The audit queue appends a batch in one statement loop that carries the chain in memory: the
// result must be the chain single appends make, continuing the rows before it.
TEST_F(AuditLogTest, ABatchContinuesTheChainAsSingleAppendsWould) {
  AppendEvents(2);
  std::vector<AuditEvent> batch;
  for (int i = 0; i < kEvents; ++i) batch.push_back(Event(appended_++));
  ASSERT_THAT(db_->Write([&](SQLite::Database& connection) {
    AppendAuditEvents(connection, batch);
    return absl::OkStatus();
  }),
              IsOk());
  AppendEvents(1);
  EXPECT_THAT(Verify(), IsOk());
  EXPECT_EQ(Rows(), 2 + kEvents + 1);
  TamperWith("UPDATE audit_log SET resource = 'clients/other' WHERE seq = 5");
  EXPECT_THAT(Verify(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 5")));
}

TEST_F(AuditLogTest, EventInARolledBackWriteLeavesNoTrace) {
  AppendEvents(2);
  EXPECT_THAT(db_->Write([&](SQLite::Database& connection) {
    AppendAuditEvent(connection, Event(99));
    return absl::AbortedError("the change it recorded failed");
  }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(Rows(), 2);
  AppendEvents(2);
  EXPECT_THAT(Verify(), IsOk());
}

TEST_F(AuditLogTest, UpdateIsRefused) {
  AppendEvents(kEvents);
  EXPECT_THAT(db_->Write([](SQLite::Database& connection) {
    connection.exec("UPDATE audit_log SET principal = 'someone-else' WHERE seq = 2");
    return absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("append-only")));
  EXPECT_THAT(Verify(), IsOk());
}

TEST_F(AuditLogTest, DeleteIsRefused) {
  AppendEvents(kEvents);
  EXPECT_THAT(db_->Write([](SQLite::Database& connection) {
    connection.exec("DELETE FROM audit_log WHERE seq = 2");
    return absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("append-only")));
  EXPECT_EQ(Rows(), kEvents);
  EXPECT_THAT(Verify(), IsOk());
}

TEST_F(AuditLogTest, ChangedRowIsNamed) {
  AppendEvents(kEvents);
  TamperWith("UPDATE audit_log SET resource = 'clients/innocent' WHERE seq = 3");
  EXPECT_THAT(Verify(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 3 was changed")));
}

TEST_F(AuditLogTest, ChangedStatusCodeIsNamed) {
  AppendEvents(kEvents);
  TamperWith("UPDATE audit_log SET code = 0 WHERE seq = 4");
  EXPECT_THAT(Verify(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 4 was changed")));
}

TEST_F(AuditLogTest, EditedLinkNamesTheEditedRowNotItsPredecessor) {
  AppendEvents(kEvents);
  TamperWith("UPDATE audit_log SET prev_hash = hash WHERE seq = 4");
  EXPECT_THAT(Verify(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 4 was changed")));
}

TEST_F(AuditLogTest, RowWithACopiedHashIsStillCaught) {
  AppendEvents(kEvents);
  // Make row 2 a copy of row 5 in every column but seq: its stored hash is then a valid hash,
  // just not of this row at this place in the chain.
  TamperWith(
      "UPDATE audit_log SET (time, principal, role, method, resource, code, prev_hash, hash) = "
      "(SELECT time, principal, role, method, resource, code, prev_hash, hash FROM audit_log "
      "WHERE seq = 5) WHERE seq = 2");
  EXPECT_THAT(Verify(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 2 was changed")));
}

TEST_F(AuditLogTest, RemovedMiddleRowIsNamed) {
  AppendEvents(kEvents);
  TamperWith("DELETE FROM audit_log WHERE seq = 3");
  EXPECT_THAT(Verify(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 3 was removed")));
}

TEST_F(AuditLogTest, RemovedFirstRowIsNamed) {
  AppendEvents(kEvents);
  TamperWith("DELETE FROM audit_log WHERE seq = 1");
  EXPECT_THAT(Verify(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit row 1 was removed")));
}

TEST_F(AuditLogTest, RemovedLastRowIsDetected) {
  AppendEvents(kEvents);
  TamperWith("DELETE FROM audit_log WHERE seq = 6");
  EXPECT_THAT(Verify(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("6")));
}

TEST_F(AuditLogTest, RemovedTailIsDetected) {
  AppendEvents(kEvents);
  TamperWith("DELETE FROM audit_log WHERE seq >= 4");
  EXPECT_THAT(Verify(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("4 to 6")));
}

TEST_F(AuditLogTest, EmptiedLogIsDetected) {
  AppendEvents(kEvents);
  TamperWith("DELETE FROM audit_log");
  EXPECT_THAT(Verify(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("1 to 6")));
}

TEST_F(AuditLogTest, TamperingStaysDetectedAfterMoreEvents) {
  AppendEvents(kEvents);
  TamperWith("DELETE FROM audit_log WHERE seq = 6");
  AppendEvents(3);
  EXPECT_THAT(Verify(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("6")));
}

}  // namespace
}  // namespace velknee
