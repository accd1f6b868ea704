// Group commit in Database::Write: concurrent writes share a transaction, and each still
// commits or fails on its own. Every test queues writes behind one that holds the writer, so
// that they meet in one transaction, and checks from inside the bodies that they did (a body
// sees rows a reader does not yet see); a round where they did not meet is run again.

#include <algorithm>
#include <functional>
#include <memory>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/api/idempotency.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

const Migration kWrites = {"writes", "CREATE TABLE writes (id INTEGER PRIMARY KEY, payload BLOB);"};
// Every insert into `doomed` makes SQLite abandon the whole transaction, as disk full or an I/O
// error may.
const Migration kDoomed = {
    "doomed",
    "CREATE TABLE doomed (id INTEGER);"
    "CREATE TRIGGER doomed_rolls_back BEFORE INSERT ON doomed BEGIN "
    "SELECT RAISE(ROLLBACK, 'doomed: the transaction is rolled back'); END;"};
const Migration kRooms = {"rooms",
                          "CREATE TABLE therapists (id TEXT PRIMARY KEY);"
                          "CREATE TABLE rooms (id INTEGER PRIMARY KEY, "
                          "therapist TEXT REFERENCES therapists(id));"};
const Migration kClients = {"clients", "CREATE TABLE clients (name TEXT PRIMARY KEY);"};

// Writers per round, and the one among them that misbehaves (in the middle, so that usually
// some run before it in its transaction and some after).
constexpr int kWriters = 9;
constexpr int kOddOne = 4;
// Rounds to try before concluding that writes never share a transaction.
constexpr int kMaxRounds = 50;

using Body = std::function<absl::Status(SQLite::Database&)>;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.File("service.db");
    options.reader_connections = 2;
    options.on_commit = [this](absl::Duration, int writes) {
      absl::MutexLock lock(&commits_mu_);
      committed_per_commit_.push_back(writes);
    };
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, migrations_));
  }

  // Runs each of `bodies` through Write on its own thread, queued behind a write (which writes
  // nothing) that holds the writer until every thread has started. Returns each Write's status,
  // in the order of `bodies`.
  std::vector<absl::Status> WriteQueued(const std::vector<Body>& bodies) {
    absl::Mutex mu;
    bool leading = false;
    bool all_started = false;
    int started = 0;
    std::thread leader([&] {
      EXPECT_OK(db_->Write([&](SQLite::Database&) {
        absl::MutexLock lock(&mu);
        leading = true;
        mu.Await(absl::Condition(&all_started));
        return absl::OkStatus();
      }));
    });
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&leading));
    }
    std::vector<absl::Status> statuses(bodies.size());
    std::vector<std::thread> writers;
    for (size_t i = 0; i < bodies.size(); ++i) {
      writers.emplace_back([&, i] {
        {
          absl::MutexLock lock(&mu);
          all_started = ++started == static_cast<int>(bodies.size());
        }
        statuses[i] = db_->Write(bodies[i]);
      });
    }
    for (std::thread& writer : writers) writer.join();
    leader.join();
    acknowledged_ += 1;
    for (const absl::Status& status : statuses) acknowledged_ += status.ok() ? 1 : 0;
    return statuses;
  }

  // Inside a body: whether bodies before it in its transaction wrote rows that are not yet
  // committed, i.e. whether it shares its transaction with successful writes.
  bool FollowsUncommittedWrites(SQLite::Database& writer) {
    const int seen_here = writer.execAndGet("SELECT COUNT(*) FROM writes").getInt();
    return seen_here > static_cast<int>(StoredIds().size());
  }

  static void InsertRow(SQLite::Database& connection, int id, int payload_bytes = 16) {
    SQLite::Statement insert(connection, "INSERT INTO writes VALUES (?, zeroblob(?))");
    insert.bind(1, id);
    insert.bind(2, payload_bytes);
    insert.exec();
  }

  static Body Insert(int id) {
    return [id](SQLite::Database& connection) {
      InsertRow(connection, id);
      return absl::OkStatus();
    };
  }

  std::set<int> StoredIds() {
    std::set<int> ids;
    EXPECT_OK(db_->Read([&](SQLite::Database& connection) {
      SQLite::Statement query(connection, "SELECT id FROM writes");
      while (query.executeStep()) ids.insert(query.getColumn(0).getInt());
      return absl::OkStatus();
    }));
    return ids;
  }

  // Runs rounds of kWriters queued writes, each inserting its own row, except the kOddOne-th,
  // whose body is `odd_one` (given the row id it may use), until the odd one shares its
  // transaction with successful writes (at most kMaxRounds). Checks every round: the odd one's
  // Write returns what `odd_status` matches; any other that fails returns what `others_failure`
  // matches (IsOk() when none may fail), and at least one does when the odd one shared its
  // transaction if `sharing_fails_others`; every row is stored exactly when its Write returned
  // OK. Returns the first row id no round used.
  int RunRoundsUntilShared(const std::function<absl::Status(SQLite::Database&, int)>& odd_one,
                           const ::testing::Matcher<const absl::Status&>& odd_status,
                           const ::testing::Matcher<const absl::Status&>& others_failure,
                           bool sharing_fails_others) {
    bool shared = false;
    int first_id = 0;
    for (int round = 0; round < kMaxRounds && !shared; ++round, first_id += kWriters) {
      std::vector<Body> bodies;
      for (int i = 0; i < kWriters; ++i) bodies.push_back(Insert(first_id + i));
      bodies[kOddOne] = [&, odd_id = first_id + kOddOne](SQLite::Database& connection) {
        shared = FollowsUncommittedWrites(connection);
        return odd_one(connection, odd_id);
      };
      const std::vector<absl::Status> statuses = WriteQueued(bodies);
      EXPECT_THAT(statuses[kOddOne], odd_status);
      int others_failed = 0;
      for (int i = 0; i < kWriters; ++i) {
        if (i == kOddOne || statuses[i].ok()) continue;
        ++others_failed;
        EXPECT_THAT(statuses[i], others_failure) << "write " << first_id + i;
      }
      if (shared && sharing_fails_others) {
        EXPECT_GE(others_failed, 1) << "a write its transaction took with it was acknowledged";
      }
      const std::set<int> stored = StoredIds();
      for (int i = 0; i < kWriters; ++i) {
        EXPECT_EQ(stored.contains(first_id + i), statuses[i].ok() && i != kOddOne)
            << "write " << first_id + i << " returned " << statuses[i];
      }
    }
    EXPECT_TRUE(shared) << "the odd write never followed successful ones in its transaction";
    EXPECT_EQ(CommittedWrites(), acknowledged_);
    return first_id;
  }

  int LargestCommit() {
    absl::MutexLock lock(&commits_mu_);
    int largest = 0;
    for (int writes : committed_per_commit_) largest = std::max(largest, writes);
    return largest;
  }

  int CommittedWrites() {
    absl::MutexLock lock(&commits_mu_);
    return std::accumulate(committed_per_commit_.begin(), committed_per_commit_.end(), 0);
  }

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kWrites,  kDoomed,         kRooms,
                                              kClients, kAuditMigration, kIdempotencyMigration};
  std::unique_ptr<Database> db_;
  // Writes that returned OK, the queue-holding ones included.
  int acknowledged_ = 0;

  absl::Mutex commits_mu_;
  std::vector<int> committed_per_commit_ ABSL_GUARDED_BY(commits_mu_);
};

TEST_F(GroupCommitTest, EveryAcknowledgedWriteIsStoredAndCountedByExactlyOneCommit) {
  int next_id = 0;
  for (int round = 0; round < kMaxRounds && LargestCommit() < 2; ++round) {
    std::vector<Body> bodies;
    for (int i = 0; i < kWriters; ++i) bodies.push_back(Insert(next_id++));
    for (const absl::Status& status : WriteQueued(bodies)) EXPECT_OK(status);
  }
  EXPECT_GE(LargestCommit(), 2) << "no two writes ever shared a commit";
  EXPECT_EQ(StoredIds().size(), static_cast<size_t>(next_id));
  EXPECT_EQ(CommittedWrites(), acknowledged_);
}

// A single writer still commits at once, one write per commit.
TEST_F(GroupCommitTest, LoneWritesCommitOneByOne) {
  for (int id = 0; id < 3; ++id) ASSERT_OK(db_->Write(Insert(id)));
  absl::MutexLock lock(&commits_mu_);
  EXPECT_THAT(committed_per_commit_, ::testing::ElementsAre(1, 1, 1));
}

// How the odd one of a round fails after writing its row.
enum class Failure { kReturnsError, kThrowsSqliteError, kThrowsStdException, kThrowsAnythingElse };

class FailingBodyTest : public GroupCommitTest, public ::testing::WithParamInterface<Failure> {};

TEST_P(FailingBodyTest, RollsBackAloneAndItsCallerGetsItsError) {
  const Failure failure = GetParam();
  ::testing::Matcher<const absl::Status&> expected = StatusIs(absl::StatusCode::kInternal);
  switch (failure) {
    case Failure::kReturnsError:
      expected = StatusIs(absl::StatusCode::kFailedPrecondition, "the slot is taken");
      break;
    case Failure::kThrowsSqliteError:
      expected = StatusIs(absl::StatusCode::kAlreadyExists);
      break;
    case Failure::kThrowsStdException:
      expected = StatusIs(absl::StatusCode::kInternal, HasSubstr("the body gave up"));
      break;
    case Failure::kThrowsAnythingElse:
      break;
  }
  RunRoundsUntilShared(
      [failure](SQLite::Database& connection, int odd_id) -> absl::Status {
        InsertRow(connection, odd_id);
        switch (failure) {
          case Failure::kReturnsError:
            return absl::FailedPreconditionError("the slot is taken");
          case Failure::kThrowsSqliteError:
            InsertRow(connection, odd_id);
            break;
          case Failure::kThrowsStdException:
            throw std::runtime_error("the body gave up");
          case Failure::kThrowsAnythingElse:
            throw 7;
        }
        return absl::OkStatus();
      },
      expected, /*others_failure=*/IsOk(), /*sharing_fails_others=*/false);
}

INSTANTIATE_TEST_SUITE_P(EachWayToFail, FailingBodyTest,
                         ::testing::Values(Failure::kReturnsError, Failure::kThrowsSqliteError,
                                           Failure::kThrowsStdException,
                                           Failure::kThrowsAnythingElse));

// SQLite ends the whole transaction: the writes that ran before in it are lost with it and must
// not be reported committed; the ones after it run in a new transaction.
TEST_F(GroupCommitTest, WriteThatEndsTheTransactionFailsTheWritesItTookWithIt) {
  const int next_id = RunRoundsUntilShared(
      [](SQLite::Database& connection, int) {
        connection.exec("INSERT INTO doomed VALUES (1)");
        return absl::OkStatus();
      },
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("doomed")),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("nothing was written")),
      /*sharing_fails_others=*/true);
  // The writer is out of the lost transaction.
  EXPECT_OK(db_->Write(Insert(next_id)));
  EXPECT_TRUE(StoredIds().contains(next_id));
}

TEST_F(GroupCommitTest, BodyThatSwallowsTheEndOfItsTransactionIsNotReportedCommitted) {
  const absl::Status status = db_->Write([](SQLite::Database& connection) {
    InsertRow(connection, 1);
    try {
      connection.exec("INSERT INTO doomed VALUES (1)");
    } catch (const SQLite::Exception&) {
    }
    return absl::OkStatus();
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("nothing was written")));
  EXPECT_TRUE(StoredIds().empty());
  absl::MutexLock lock(&commits_mu_);
  EXPECT_TRUE(committed_per_commit_.empty());
}

// Disk full (here: the file may not grow) in the middle of a transaction of several writes.
TEST_F(GroupCommitTest, DiskFullFailsTheWriteThatFilledItAndNoWriteIsMisreported) {
  ASSERT_OK(db_->Write([](SQLite::Database& connection) {
    const int pages = connection.execAndGet("PRAGMA page_count").getInt();
    connection.exec("PRAGMA max_page_count=" + std::to_string(pages + 16));
    return absl::OkStatus();
  }));
  ++acknowledged_;
  // Whether SQLite rolls back the statement or the whole transaction is its choice; either way
  // no write may be misreported.
  const int next_id = RunRoundsUntilShared(
      [](SQLite::Database& connection, int odd_id) {
        InsertRow(connection, odd_id, /*payload_bytes=*/1 << 20);
        return absl::OkStatus();
      },
      StatusIs(absl::StatusCode::kResourceExhausted),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("nothing was written")),
      /*sharing_fails_others=*/false);
  EXPECT_OK(db_->Write(Insert(next_id)));
}

TEST_F(GroupCommitTest, FailedCommitFailsEveryWriteItWouldHaveMadeDurable) {
  // A deferred foreign key is checked only by COMMIT, after every body returned OK.
  RunRoundsUntilShared(
      [](SQLite::Database& connection, int) {
        connection.exec("PRAGMA defer_foreign_keys=ON");
        connection.exec("INSERT INTO rooms VALUES (1, 'nobody')");
        return absl::OkStatus();
      },
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("FOREIGN KEY")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("FOREIGN KEY")),
      /*sharing_fails_others=*/true);
}

// Each audit event reads the chain's last row inside the transaction: events appended by
// writes sharing a transaction, some of them rolled back, still form one intact chain.
TEST_F(GroupCommitTest, AuditChainStaysIntactAcrossSharedTransactions) {
  int appended = 0;
  for (int round = 0; round < 3 || (round < kMaxRounds && LargestCommit() < 3); ++round) {
    std::vector<Body> bodies;
    for (int i = 0; i < kWriters; ++i) {
      bodies.push_back([i](SQLite::Database& connection) {
        AppendAuditEvent(connection, AuditEvent{absl::Now(),
                                                {"desk-1", "front_desk", "/test/Write"},
                                                "clients/c" + std::to_string(i),
                                                absl::StatusCode::kOk});
        if (i % 3 == 1) return absl::AbortedError("etag mismatch");
        return absl::OkStatus();
      });
    }
    for (const absl::Status& status : WriteQueued(bodies)) appended += status.ok() ? 1 : 0;
  }
  EXPECT_GE(LargestCommit(), 3);
  EXPECT_OK(db_->Read([&](SQLite::Database& connection) {
    EXPECT_OK(VerifyAuditChain(connection));
    EXPECT_EQ(connection.execAndGet("SELECT COUNT(*) FROM audit_log").getInt(), appended);
    return absl::OkStatus();
  }));
}

// The same request id sent by many callers at once (a retry racing the original) creates one
// client, and every caller gets that client.
TEST_F(GroupCommitTest, ConcurrentRetriesOfOneRequestIdWriteOnce) {
  intake::v1::CreateClientRequest request;
  request.mutable_client()->set_given_name("Eszter");
  request.set_request_id("5b0c6f1e-2a47-4d8e-9c3b-7e1f0a2d4c6b");
  const IdempotencyKey key = MakeIdempotencyKey(
      "desk-1", "/velknee.intake.v1.IntakeService/CreateClient", request.request_id(), request);
  absl::Mutex names_mu;
  std::set<std::string> names;
  int created = 0;
  std::vector<Body> bodies;
  for (int i = 0; i < kWriters; ++i) {
    bodies.push_back([&, i](SQLite::Database& connection) -> absl::Status {
      VELKNEE_ASSIGN_OR_RETURN(
          const intake::v1::Client client,
          RunOnce<intake::v1::Client>(connection, key, [&]() -> absl::StatusOr<intake::v1::Client> {
            ++created;
            intake::v1::Client client = request.client();
            client.set_name("clients/c" + std::to_string(i));
            SQLite::Statement insert(connection, "INSERT INTO clients VALUES (?)");
            insert.bind(1, client.name());
            insert.exec();
            return client;
          }));
      absl::MutexLock lock(&names_mu);
      names.insert(client.name());
      return absl::OkStatus();
    });
  }
  for (const absl::Status& status : WriteQueued(bodies)) EXPECT_OK(status);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(names.size(), 1u);
  EXPECT_OK(db_->Read([](SQLite::Database& connection) {
    EXPECT_EQ(connection.execAndGet("SELECT COUNT(*) FROM clients").getInt(), 1);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace velknee
