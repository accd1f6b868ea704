#include "common/storage/database.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

const Migration kCreateTherapists = {
    "therapists",
    "CREATE TABLE therapists (id TEXT PRIMARY KEY, display_name TEXT NOT NULL UNIQUE, "
    "minutes INTEGER NOT NULL CHECK (minutes > 0));"};
const Migration kSeedTherapist = {"seed a therapist",
                                  "INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60);"};
const Migration kCreateRooms = {
    "rooms", "CREATE TABLE rooms (id TEXT PRIMARY KEY, therapist TEXT REFERENCES therapists(id));"};

// Reads PRAGMA user_version and table names straight from the file, as another tool would.
int StoredUserVersion(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

bool TableExists(const std::string& path, const std::string& table) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.bind(1, table);
  return query.executeStep();
}

int CountRows(Database& db, const std::string& table) {
  int count = -1;
  EXPECT_THAT(db.Read([&](SQLite::Database& connection) {
    count = connection.execAndGet("SELECT COUNT(*) FROM " + table).getInt();
    return absl::OkStatus();
  }),
              IsOk());
  return count;
}

class DatabaseTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::unique_ptr<Database>> Open(std::span<const Migration> migrations) {
    DatabaseOptions options;
    options.path = path_;
    options.reader_connections = 2;
    return Database::Open(options, migrations);
  }

  TempDir dir_;
  const std::string path_ = dir_.File("service.db");
};

TEST_F(DatabaseTest, FromEmptyAppliesEveryMigration) {
  const std::vector<Migration> migrations = {kCreateTherapists, kSeedTherapist, kCreateRooms};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(migrations));
  EXPECT_EQ(StoredUserVersion(path_), 3);
  EXPECT_TRUE(TableExists(path_, "therapists"));
  EXPECT_TRUE(TableExists(path_, "rooms"));
  EXPECT_EQ(CountRows(*db, "therapists"), 1);
}

TEST_F(DatabaseTest, ReopeningAppliesNothingTwice) {
  const std::vector<Migration> migrations = {kCreateTherapists, kSeedTherapist};
  { ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(migrations)); }
  // CREATE TABLE would fail and the seed would insert a duplicate if they ran again.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(migrations));
  EXPECT_EQ(StoredUserVersion(path_), 2);
  EXPECT_EQ(CountRows(*db, "therapists"), 1);
}

TEST_F(DatabaseTest, MigrationAddedLaterIsTheOnlyOneApplied) {
  {
    const std::vector<Migration> v2 = {kCreateTherapists, kSeedTherapist};
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(v2));
    EXPECT_FALSE(TableExists(path_, "rooms"));
  }
  const std::vector<Migration> v3 = {kCreateTherapists, kSeedTherapist, kCreateRooms};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(v3));
  EXPECT_EQ(StoredUserVersion(path_), 3);
  EXPECT_TRUE(TableExists(path_, "rooms"));
  EXPECT_EQ(CountRows(*db, "therapists"), 1);
}

TEST_F(DatabaseTest, DatabaseFromNewerCodeIsRefused) {
  {
    const std::vector<Migration> v3 = {kCreateTherapists, kSeedTherapist, kCreateRooms};
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(v3));
  }
  const std::vector<Migration> v2 = {kCreateTherapists, kSeedTherapist};
  const absl::StatusOr<std::unique_ptr<Database>> db = Open(v2);
  EXPECT_THAT(db, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("newer")));
  EXPECT_THAT(db.status().message(), HasSubstr(path_));
  EXPECT_EQ(ReasonOf(db.status()), "SCHEMA_TOO_NEW");
  EXPECT_EQ(StoredUserVersion(path_), 3);
}

TEST_F(DatabaseTest, FailingMigrationRollsBackAndKeepsTheVersion) {
  const Migration broken = {
      "rooms, broken",
      "CREATE TABLE rooms (id TEXT PRIMARY KEY); INSERT INTO no_such_table VALUES (1);"};
  {
    const std::vector<Migration> v1 = {kCreateTherapists};
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(v1));
  }
  const std::vector<Migration> with_broken = {kCreateTherapists, broken};
  const absl::StatusOr<std::unique_ptr<Database>> failed = Open(with_broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), HasSubstr("rooms, broken"));
  EXPECT_EQ(StoredUserVersion(path_), 1);
  EXPECT_FALSE(TableExists(path_, "rooms")) << "the first statement of the failed migration stuck";

  // Once fixed, the migration applies.
  const std::vector<Migration> fixed = {kCreateTherapists, kCreateRooms};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Open(fixed));
  EXPECT_EQ(StoredUserVersion(path_), 2);
  EXPECT_TRUE(TableExists(path_, "rooms"));
}

// The writer connection and every reader connection have the settings the store relies on,
// the busy timeout taken from the options.
TEST_F(DatabaseTest, EveryConnectionHasTheStoresPragmas) {
  DatabaseOptions options;
  options.path = path_;
  options.reader_connections = 2;
  options.busy_timeout_ms = 1234;
  const std::vector<Migration> migrations = {kCreateTherapists};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(options, migrations));
  auto expect_pragmas = [](SQLite::Database& connection, const std::string& which, int query_only) {
    EXPECT_EQ(connection.execAndGet("PRAGMA journal_mode").getString(), "wal") << which;
    EXPECT_EQ(connection.execAndGet("PRAGMA foreign_keys").getInt(), 1) << which;
    EXPECT_EQ(connection.execAndGet("PRAGMA recursive_triggers").getInt(), 1) << which;
    EXPECT_EQ(connection.execAndGet("PRAGMA synchronous").getInt(), 2) << which;  // FULL
    EXPECT_EQ(connection.execAndGet("PRAGMA busy_timeout").getInt(), 1234) << which;
    EXPECT_EQ(connection.execAndGet("PRAGMA query_only").getInt(), query_only) << which;
  };
  EXPECT_OK(db->Write([&](SQLite::Database& writer) {
    expect_pragmas(writer, "writer", 0);
    return absl::OkStatus();
  }));
  // A read inside a read holds both reader connections at once, so each is checked.
  EXPECT_OK(db->Read([&](SQLite::Database& first) {
    expect_pragmas(first, "first reader", 1);
    return db->Read([&](SQLite::Database& second) {
      EXPECT_NE(&second, &first);
      expect_pragmas(second, "second reader", 1);
      return absl::OkStatus();
    });
  }));
}

class DatabaseWriteTest : public DatabaseTest {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(db_, Open(migrations_)); }

  absl::Status InsertTherapist(const std::string& id, const std::string& display_name,
                               int minutes = 60) {
    return db_->Write([&](SQLite::Database& connection) {
      SQLite::Statement insert(connection, "INSERT INTO therapists VALUES (?, ?, ?)");
      insert.bind(1, id);
      insert.bind(2, display_name);
      insert.bind(3, minutes);
      insert.exec();
      return absl::OkStatus();
    });
  }

  const std::vector<Migration> migrations_ = {kCreateTherapists, kCreateRooms};
  std::unique_ptr<Database> db_;
};

TEST_F(DatabaseWriteTest, CommittedWriteIsSeenByReaders) {
  ASSERT_THAT(InsertTherapist("ana", "Ana Petrov"), IsOk());
  EXPECT_EQ(CountRows(*db_, "therapists"), 1);
}

TEST_F(DatabaseWriteTest, BodyErrorRollsBackEverythingAndIsReturned) {
  const absl::Status status = db_->Write([](SQLite::Database& connection) {
    connection.exec("INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60)");
    connection.exec("INSERT INTO rooms VALUES ('room-1', 'ana')");
    return absl::FailedPreconditionError("the slot is taken");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, "the slot is taken"));
  EXPECT_EQ(CountRows(*db_, "therapists"), 0);
  EXPECT_EQ(CountRows(*db_, "rooms"), 0);
  // The connection is usable afterwards.
  EXPECT_THAT(InsertTherapist("ana", "Ana Petrov"), IsOk());
  EXPECT_EQ(CountRows(*db_, "therapists"), 1);
}

TEST_F(DatabaseWriteTest, WriteReturnsTheBodysResultOnceCommitted) {
  const absl::StatusOr<std::string> created =
      db_->Write([](SQLite::Database& connection) -> absl::StatusOr<std::string> {
        connection.exec("INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60)");
        return std::string("therapists/ana");
      });
  EXPECT_THAT(created, IsOkAndHolds("therapists/ana"));
  EXPECT_EQ(CountRows(*db_, "therapists"), 1);
}

TEST_F(DatabaseWriteTest, WriteWithAResultRollsBackOnTheBodysError) {
  const absl::StatusOr<std::string> created =
      db_->Write([](SQLite::Database& connection) -> absl::StatusOr<std::string> {
        connection.exec("INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60)");
        return absl::AbortedError("etag: therapists/ana was changed");
      });
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kAborted, "etag: therapists/ana was changed"));
  EXPECT_EQ(CountRows(*db_, "therapists"), 0);
}

TEST_F(DatabaseWriteTest, FailedCommitIsReturnedInsteadOfTheBodysResult) {
  // A deferred foreign key is checked only at COMMIT, after the body has returned its value.
  const absl::StatusOr<int> rooms = db_->Write([](SQLite::Database& connection) {
    connection.exec("PRAGMA defer_foreign_keys=ON");
    connection.exec("INSERT INTO rooms VALUES ('room-1', 'nobody')");
    return absl::StatusOr<int>(1);
  });
  EXPECT_THAT(rooms, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("FOREIGN KEY")));
  EXPECT_EQ(CountRows(*db_, "rooms"), 0);
  // The failed transaction was ended: the next write starts clean.
  EXPECT_THAT(InsertTherapist("ana", "Ana Petrov"), IsOk());
  EXPECT_EQ(CountRows(*db_, "therapists"), 1);
}

TEST_F(DatabaseWriteTest, ReadReturnsTheBodysResult) {
  ASSERT_THAT(InsertTherapist("ana", "Ana Petrov", 45), IsOk());
  EXPECT_THAT(db_->Read([](SQLite::Database& connection) -> absl::StatusOr<int> {
    return connection.execAndGet("SELECT minutes FROM therapists WHERE id = 'ana'").getInt();
  }),
              IsOkAndHolds(45));
}

TEST_F(DatabaseWriteTest, SqliteErrorInBodyRollsBack) {
  const absl::Status status = db_->Write([](SQLite::Database& connection) {
    connection.exec("INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60)");
    connection.exec("INSERT INTO no_such_table VALUES (1)");
    return absl::OkStatus();
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(CountRows(*db_, "therapists"), 0);
}

TEST_F(DatabaseWriteTest, UniqueViolationIsAlreadyExists) {
  ASSERT_THAT(InsertTherapist("ana", "Ana Petrov"), IsOk());
  EXPECT_THAT(InsertTherapist("ana", "Someone Else"), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(InsertTherapist("bea", "Ana Petrov"), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(CountRows(*db_, "therapists"), 1);
}

TEST_F(DatabaseWriteTest, OtherConstraintsAreFailedPrecondition) {
  EXPECT_THAT(InsertTherapist("ana", "Ana Petrov", /*minutes=*/0),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // foreign_keys=ON: a room cannot name a therapist that does not exist.
  EXPECT_THAT(db_->Write([](SQLite::Database& connection) {
    connection.exec("INSERT INTO rooms VALUES ('room-1', 'nobody')");
    return absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(CountRows(*db_, "rooms"), 0);
}

TEST_F(DatabaseWriteTest, ReadDoesNotSeeOrWaitForAnUncommittedWrite) {
  ASSERT_THAT(db_->Write([&](SQLite::Database& connection) {
    connection.exec("INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60)");
    EXPECT_EQ(CountRows(*db_, "therapists"), 0);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(CountRows(*db_, "therapists"), 1);
}

TEST_F(DatabaseWriteTest, ReadsCannotWrite) {
  const absl::Status status = db_->Read([](SQLite::Database& connection) {
    connection.exec("INSERT INTO therapists VALUES ('ana', 'Ana Petrov', 60)");
    return absl::OkStatus();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CountRows(*db_, "therapists"), 0);
}

TEST_F(DatabaseWriteTest, ConcurrentWritesAreSerialised) {
  ASSERT_THAT(InsertTherapist("ana", "Ana Petrov", 1), IsOk());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_THAT(db_->Write([](SQLite::Database& connection) {
          const int minutes =
              connection.execAndGet("SELECT minutes FROM therapists WHERE id = 'ana'").getInt();
          SQLite::Statement update(connection,
                                   "UPDATE therapists SET minutes = ? WHERE id = 'ana'");
          update.bind(1, minutes + 1);
          update.exec();
          return absl::OkStatus();
        }),
                    IsOk());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  int minutes = 0;
  ASSERT_THAT(db_->Read([&](SQLite::Database& connection) {
    minutes = connection.execAndGet("SELECT minutes FROM therapists").getInt();
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(minutes, 101);
}

TEST(SqliteErrorToStatusTest, MapsToCanonicalCodes) {
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_CONSTRAINT_UNIQUE, "x"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_CONSTRAINT_PRIMARYKEY, "x"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_CONSTRAINT_CHECK, "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_CONSTRAINT_FOREIGNKEY, "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_CONSTRAINT_TRIGGER, "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_BUSY, "x"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_BUSY_SNAPSHOT, "x"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_LOCKED, "x"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_FULL, "x"),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_IOERR_WRITE, "x"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(SqliteErrorToStatus(SQLITE_CORRUPT, "disk image is malformed"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("disk image is malformed")));
}

}  // namespace
}  // namespace velknee
