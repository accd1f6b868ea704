#ifndef VELKNEE_COMMON_STORAGE_DATABASE_H_
#define VELKNEE_COMMON_STORAGE_DATABASE_H_

// One service's SQLite database: a single writer connection and a pool of reader
// connections over one file in WAL mode, so reads never wait for writes.
//
// Thread-safe. Writes run one at a time on the writer connection, and concurrent writes share
// one transaction and one fsync (group commit, see Write); each read runs in its own snapshot on
// a reader connection. Callers must not make network calls inside Write or Read: no lock may be
// held across one, and a slow body delays every write queued behind it.

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace velknee {

struct DatabaseOptions {
  // File path; created if missing.
  std::string path;
  // synchronous=FULL makes an acknowledged write survive a power cut; NORMAL (WAL) may lose
  // the last transactions on power loss but never corrupts the file.
  bool synchronous_full = true;
  // How long a connection waits for another process's lock before failing with UNAVAILABLE.
  int busy_timeout_ms = 5000;
  // Reader connections kept open; a read waits when all are busy.
  int reader_connections = 4;
  // When set, told after every commit of the writer connection how long the COMMIT took and
  // how many Write calls it made durable (for metrics). Called outside any lock of the database.
  std::function<void(absl::Duration commit_time, int writes)> on_commit;
};

// One step of the schema. Migration i (0-based) takes the schema from user_version i to i + 1.
struct Migration {
  absl::string_view description;
  absl::string_view sql;
};

template <typename T>
inline constexpr bool kIsStatusOr = false;
template <typename T>
inline constexpr bool kIsStatusOr<absl::StatusOr<T>> = true;

// What a transaction body returns, and so what Write and Read return: absl::Status, or
// absl::StatusOr<T> when the body has a result.
template <typename Body>
requires std::is_same_v<std::invoke_result_t<Body&, SQLite::Database&>, absl::Status> ||
    kIsStatusOr<std::invoke_result_t<Body&, SQLite::Database&>>
using TransactionResult = std::invoke_result_t<Body&, SQLite::Database&>;

class Database {
 public:
  // Opens (creating if needed) the database at `options.path`, sets the pragmas (WAL,
  // foreign_keys, busy_timeout, synchronous) and applies every migration past the stored
  // PRAGMA user_version, each in its own transaction.
  // FAILED_PRECONDITION when the file was written by a newer velknee (user_version greater
  // than migrations.size()); UNAVAILABLE / INTERNAL when SQLite cannot open or migrate it.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const DatabaseOptions& options,
                                                        std::span<const Migration> migrations);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs `body` once, atomically, on the writer connection and returns what it returns: `body`
  // returns an absl::Status or an absl::StatusOr<T>, and so does Write. OK means what `body`
  // wrote is committed (durable with synchronous_full); any error means it wrote nothing.
  //
  // Group commit: the Writes waiting while one transaction commits are run together in the next
  // one (BEGIN IMMEDIATE ... COMMIT, one fsync), one body after the other in arrival order, each
  // inside its own SAVEPOINT. What a caller can observe:
  // - A body that returns an error or throws is rolled back to its savepoint alone: its Write
  //   returns that error (a thrown SQLite error mapped by SqliteErrorToStatus, anything else
  //   INTERNAL) and the other Writes of its transaction are not affected.
  // - A body sees what the bodies before it in the same transaction wrote, as if they had
  //   committed; they commit together or fail together: when the COMMIT fails, every Write whose
  //   body succeeded returns the COMMIT's error in place of its result.
  // - When SQLite abandons the whole transaction during a body (disk full, I/O error, out of
  //   memory, a RAISE(ROLLBACK)), that body's Write returns its own error, the Writes whose bodies
  //   had succeeded earlier in that transaction return UNAVAILABLE (nothing written; retrying is
  //   safe), and the bodies not yet run go on in a new transaction. No body runs twice.
  // - Write returns only after the COMMIT (or the failure) that decided its body's fate; a body
  //   runs on whichever caller's thread leads the transaction, while its own caller waits.
  // `body` must not run transaction statements (BEGIN, COMMIT, SAVEPOINT, ...), change the
  // connection's settings (a PRAGMA such as defer_foreign_keys would apply to the bodies after it),
  // nor call Write (it would wait for itself).
  template <typename Body>
  TransactionResult<Body> Write(Body&& body) ABSL_LOCKS_EXCLUDED(queue_mu_, write_mu_) {
    return KeepingResult(body, &Database::WriteTransaction);
  }

  // Runs `body` in a read transaction on a reader connection (one consistent snapshot) and
  // returns what it returns, as Write does.
  template <typename Body>
  TransactionResult<Body> Read(Body&& body) ABSL_LOCKS_EXCLUDED(readers_mu_) {
    return KeepingResult(body, &Database::ReadTransaction);
  }

  const std::string& path() const { return path_; }

 private:
  class ReaderLease;
  // One caller's Write, waiting in queue_ on the caller's stack.
  struct PendingWrite;
  // How long one COMMIT took and how many Writes it made durable, for on_commit.
  struct Commit {
    absl::Duration time;
    int writes;
  };

  Database(const DatabaseOptions& options, std::unique_ptr<SQLite::Database> writer,
           std::vector<std::unique_ptr<SQLite::Database>> readers);

  // The transactions themselves; the body's status decides commit or rollback.
  // WriteTransaction queues `body`; the caller whose write is first in the queue leads: it runs
  // a batch of queued writes through RunBatch and wakes their callers.
  absl::Status WriteTransaction(absl::FunctionRef<absl::Status(SQLite::Database&)> body)
      ABSL_LOCKS_EXCLUDED(queue_mu_, write_mu_);
  // Runs the bodies of `batch` in order and sets each one's status; returns how many it finished
  // (at least one: it stops starting bodies once the batch has run for its time budget) and
  // appends each COMMIT to `commits`.
  size_t RunBatch(std::span<PendingWrite* const> batch, std::vector<Commit>& commits)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  // Runs `write`'s body inside a savepoint of the open transaction and sets its status; returns
  // non-OK when the transaction itself was lost (rolled back by SQLite, or the savepoint could
  // not be ended), which the body's status then reflects.
  absl::Status RunInSavepoint(PendingWrite& write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status ReadTransaction(absl::FunctionRef<absl::Status(SQLite::Database&)> body)
      ABSL_LOCKS_EXCLUDED(readers_mu_);

  // Runs `body` through `transaction` and returns the body's own result, or the transaction's
  // error when the body never ran to the end or its commit failed.
  using Transaction =
      absl::Status (Database::*)(absl::FunctionRef<absl::Status(SQLite::Database&)>);
  template <typename Body>
  TransactionResult<Body> KeepingResult(Body& body, Transaction transaction) {
    using Result = TransactionResult<Body>;
    std::optional<Result> result;
    absl::Status status = (this->*transaction)([&](SQLite::Database& db) -> absl::Status {
      result.emplace(body(db));
      if constexpr (std::is_same_v<Result, absl::Status>) {
        return *result;
      } else {
        return result->status();
      }
    });
    if (!status.ok()) return status;
    return *std::move(result);
  }

  // Constant after construction.
  const std::string path_;
  const std::function<void(absl::Duration, int)> on_commit_;

  // The Writes waiting for their batch, in arrival order; the front one's caller leads.
  absl::Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);

  // Held by the leader while it runs a batch.
  absl::Mutex write_mu_;
  std::unique_ptr<SQLite::Database> writer_ ABSL_GUARDED_BY(write_mu_);

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<SQLite::Database>> idle_readers_ ABSL_GUARDED_BY(readers_mu_);
};

// Maps a SQLite failure to a canonical code: UNIQUE / PRIMARY KEY → ALREADY_EXISTS, other
// constraints (CHECK, triggers, foreign keys) → FAILED_PRECONDITION, BUSY / LOCKED / IOERR /
// CANTOPEN → UNAVAILABLE (retry), FULL (disk full) → RESOURCE_EXHAUSTED, everything else →
// INTERNAL.
absl::Status SqliteErrorToStatus(int extended_error_code, absl::string_view message);

}  // namespace velknee

#endif  // VELKNEE_COMMON_STORAGE_DATABASE_H_
