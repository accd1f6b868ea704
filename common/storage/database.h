#ifndef VELKNEE_COMMON_STORAGE_DATABASE_H_
#define VELKNEE_COMMON_STORAGE_DATABASE_H_

// One service's SQLite database: a single writer connection and a pool of reader
// connections over one file in WAL mode, so reads never wait for writes.
//
// Thread-safe. Writes are serialised by `BEGIN IMMEDIATE` on the writer connection; each
// read runs in its own snapshot on a reader connection. Callers must not make network calls
// inside Write or Read: no lock may be held across one.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

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
};

// One step of the schema. Migration i (0-based) takes the schema from user_version i to i + 1.
struct Migration {
  absl::string_view description;
  absl::string_view sql;
};

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

  // Runs `body` inside BEGIN IMMEDIATE on the writer connection; commits when it returns OK,
  // rolls back otherwise, and returns its status. SQLite errors thrown inside `body` are
  // caught and mapped by SqliteErrorToStatus.
  absl::Status Write(absl::FunctionRef<absl::Status(SQLite::Database&)> body)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // Runs `body` in a read transaction on a reader connection (one consistent snapshot).
  absl::Status Read(absl::FunctionRef<absl::Status(SQLite::Database&)> body)
      ABSL_LOCKS_EXCLUDED(readers_mu_);

  const std::string& path() const { return path_; }

 private:
  class ReaderLease;

  Database(std::string path, std::unique_ptr<SQLite::Database> writer,
           std::vector<std::unique_ptr<SQLite::Database>> readers);

  // Constant after construction.
  const std::string path_;

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
