#include "common/storage/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace velknee {
namespace {

const int kOpenFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;

// A batch's bounds, so that a write queued behind a long batch still completes promptly: at
// most this many writes per transaction, and no new body started once the batch has run this
// long (the rest wait for the next transaction).
constexpr size_t kMaxBatchWrites = 64;
constexpr absl::Duration kMaxBatchTime = absl::Milliseconds(5);

using SteadyClock = std::chrono::steady_clock;

// Runs `body`, turning a thrown SQLite::Exception into a status.
absl::Status Guard(absl::FunctionRef<absl::Status()> body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e.getExtendedErrorCode(), e.what());
  } catch (const std::exception& e) {
    // Anything else (e.g. std::bad_alloc) must still end the transaction cleanly.
    return absl::InternalError(absl::StrCat("storage: ", e.what()));
  } catch (...) {
    // A body may be another caller's, run by the batch's leader: nothing may escape into it.
    return absl::InternalError("storage: the transaction body threw a non-standard exception");
  }
}

absl::Status Exec(SQLite::Database& db, const char* sql) {
  return Guard([&] {
    db.exec(sql);
    return absl::OkStatus();
  });
}

// Whether the writer connection is inside a transaction (SQLite ends one by itself on some
// errors: disk full, I/O error, out of memory, RAISE(ROLLBACK)).
bool InTransaction(SQLite::Database& db) { return sqlite3_get_autocommit(db.getHandle()) == 0; }

void RollBackIfOpen(SQLite::Database& db) {
  if (InTransaction(db)) Exec(db, "ROLLBACK").IgnoreError();
}

absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenConnection(const DatabaseOptions& options,
                                                                 bool reader) {
  std::unique_ptr<SQLite::Database> db;
  absl::Status status = Guard([&]() -> absl::Status {
    db = std::make_unique<SQLite::Database>(options.path, kOpenFlags, options.busy_timeout_ms);
    db->exec("PRAGMA foreign_keys=ON");
    // REPLACE deletes the old row; with recursive triggers that delete fires the tables'
    // "never deleted" triggers, so REPLACE cannot slip past a lock.
    db->exec("PRAGMA recursive_triggers=ON");
    db->exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    // The memory bound of docs/operations.md, whatever the SQLite build's defaults: at most
    // 2 MiB of cached pages per connection, no memory-mapped file (mapped pages count as
    // resident), temporary b-trees in files rather than in memory.
    db->exec("PRAGMA cache_size=-2048");
    db->exec("PRAGMA mmap_size=0");
    db->exec("PRAGMA temp_store=FILE");
    if (reader) db->exec("PRAGMA query_only=ON");
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return absl::Status(
        status.code(), absl::StrCat("cannot open database ", options.path, ": ", status.message()));
  }
  return db;
}

int UserVersion(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

absl::Status Migrate(SQLite::Database& db, const std::string& path,
                     std::span<const Migration> migrations) {
  return Guard([&]() -> absl::Status {
    // journal_mode is a property of the file, set once by the writer before any reader opens.
    db.exec("PRAGMA journal_mode=WAL");
    const int known = static_cast<int>(migrations.size());
    while (true) {
      // The version is read inside the write transaction, so two processes opening the same
      // file never apply one migration twice.
      db.exec("BEGIN IMMEDIATE");
      const int stored = UserVersion(db);
      if (stored >= known) {
        db.exec("COMMIT");
        if (stored == known) break;
        return WithReason(
            absl::FailedPreconditionError(absl::StrCat(
                "database ", path, " has schema version ", stored,
                " but this velknee-server knows versions up to ", known,
                "; it was written by a newer velknee-server: run that version or restore a "
                "backup")),
            "SCHEMA_TOO_NEW");
      }
      try {
        db.exec(std::string(migrations[stored].sql));
        db.exec(absl::StrCat("PRAGMA user_version=", stored + 1));
        db.exec("COMMIT");
      } catch (const SQLite::Exception& e) {
        // SQLite may already have rolled back (e.g. disk full); keep the original error.
        RollBackIfOpen(db);
        return absl::InternalError(absl::StrCat("database ", path, ": migration ", stored + 1, " (",
                                                migrations[stored].description,
                                                ") failed: ", e.what()));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace

// Borrows one idle reader connection for the duration of a read.
class Database::ReaderLease {
 public:
  explicit ReaderLease(Database& db) : db_(db) {
    absl::MutexLock lock(&db_.readers_mu_);
    db_.readers_mu_.Await(absl::Condition(
        +[](std::vector<std::unique_ptr<SQLite::Database>>* idle) { return !idle->empty(); },
        &db_.idle_readers_));
    connection_ = std::move(db_.idle_readers_.back());
    db_.idle_readers_.pop_back();
  }
  ~ReaderLease() {
    absl::MutexLock lock(&db_.readers_mu_);
    db_.idle_readers_.push_back(std::move(connection_));
  }
  SQLite::Database& connection() { return *connection_; }

 private:
  Database& db_;
  std::unique_ptr<SQLite::Database> connection_;
};

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options,
                                                         std::span<const Migration> migrations) {
  VELKNEE_ASSIGN_OR_RETURN(std::unique_ptr<SQLite::Database> writer,
                           OpenConnection(options, /*reader=*/false));
  VELKNEE_RETURN_IF_ERROR(Migrate(*writer, options.path, migrations));
  std::vector<std::unique_ptr<SQLite::Database>> readers;
  for (int i = 0; i < options.reader_connections; ++i) {
    VELKNEE_ASSIGN_OR_RETURN(std::unique_ptr<SQLite::Database> reader,
                             OpenConnection(options, /*reader=*/true));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Database>(new Database(options, std::move(writer), std::move(readers)));
}

Database::Database(const DatabaseOptions& options, std::unique_ptr<SQLite::Database> writer,
                   std::vector<std::unique_ptr<SQLite::Database>> readers)
    : path_(options.path),
      on_commit_(options.on_commit),
      writer_(std::move(writer)),
      idle_readers_(std::move(readers)) {}

Database::~Database() = default;

struct Database::PendingWrite {
  explicit PendingWrite(absl::FunctionRef<absl::Status(SQLite::Database&)> body) : body(body) {}

  const absl::FunctionRef<absl::Status(SQLite::Database&)> body;
  // Set by the leader; read by the caller once `done`, which the leader sets under queue_mu_
  // after the status.
  absl::Status status;
  bool done = false;
  // Signalled when the write is done, or when it is first in the queue and so leads.
  absl::CondVar turn;
};

absl::Status Database::WriteTransaction(absl::FunctionRef<absl::Status(SQLite::Database&)> body) {
  PendingWrite write(body);
  std::vector<PendingWrite*> batch;
  {
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(&write);
    while (!write.done && queue_.front() != &write) write.turn.Wait(&queue_mu_);
    if (write.done) return write.status;
    // First in the queue: lead the writes queued so far (no waiting for more, so a lone write
    // commits at once).
    batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(
                                                      std::min(queue_.size(), kMaxBatchWrites)));
  }
  std::vector<Commit> commits;
  const size_t finished = RunBatch(batch, commits);
  {
    absl::MutexLock lock(&queue_mu_);
    // The callers of finished writes may return (and free their PendingWrite) once this lock is
    // released, so none is touched after.
    for (size_t i = 0; i < finished; ++i) {
      queue_.pop_front();
      batch[i]->done = true;
      batch[i]->turn.Signal();
    }
    if (!queue_.empty()) queue_.front()->turn.Signal();
  }
  if (on_commit_) {
    for (const Commit& commit : commits) on_commit_(commit.time, commit.writes);
  }
  return write.status;
}

size_t Database::RunBatch(std::span<PendingWrite* const> batch, std::vector<Commit>& commits) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  // A monotonic clock: a wall-clock step must neither stretch a batch nor make a commit's
  // time negative.
  const auto stop_starting = SteadyClock::now() + absl::ToChronoNanoseconds(kMaxBatchTime);
  size_t next = 0;
  // One transaction per pass; a second pass only when SQLite abandoned the first.
  while (next < batch.size() && (next == 0 || SteadyClock::now() < stop_starting)) {
    if (absl::Status begin = Exec(db, "BEGIN IMMEDIATE"); !begin.ok()) {
      // E.g. another process holds the lock past busy_timeout: each write fails as it would
      // have alone.
      for (; next < batch.size(); ++next) batch[next]->status = begin;
      break;
    }
    const size_t first = next;
    absl::Status lost;
    while (lost.ok() && next < batch.size() &&
           (next == first || SteadyClock::now() < stop_starting)) {
      lost = RunInSavepoint(*batch[next]);
      ++next;
    }
    int succeeded = 0;
    for (size_t i = first; i < next; ++i) succeeded += batch[i]->status.ok() ? 1 : 0;
    if (!lost.ok() || succeeded == 0) {
      RollBackIfOpen(db);
      // The bodies that succeeded before the loss were rolled back with the transaction.
      for (size_t i = first; i < next; ++i) {
        if (batch[i]->status.ok()) {
          batch[i]->status = absl::UnavailableError(absl::StrCat(
              "storage: this write shared its transaction with another one whose failure ended "
              "it (",
              lost.message(), "); nothing was written, retry"));
        }
      }
      continue;
    }
    const auto commit_start = SteadyClock::now();
    const absl::Status commit = Exec(db, "COMMIT");
    if (!commit.ok()) {
      // A failed COMMIT may leave the transaction open; end it so the next one starts clean.
      RollBackIfOpen(db);
      for (size_t i = first; i < next; ++i) {
        if (batch[i]->status.ok()) batch[i]->status = commit;
      }
      continue;
    }
    commits.push_back({absl::FromChrono(SteadyClock::now() - commit_start), succeeded});
  }
  return next;
}

absl::Status Database::RunInSavepoint(PendingWrite& write) {
  SQLite::Database& db = *writer_;
  if (absl::Status savepoint = Exec(db, "SAVEPOINT write"); !savepoint.ok()) {
    write.status = savepoint;
    return savepoint;
  }
  write.status = Guard([&] { return write.body(db); });
  if (!InTransaction(db)) {
    if (write.status.ok()) {
      // The body swallowed the error that ended the transaction; what it wrote is gone.
      write.status = absl::UnavailableError(
          "storage: SQLite rolled the transaction back during this write; nothing was written, "
          "retry");
    }
    return write.status;
  }
  // RELEASE after ROLLBACK TO removes the savepoint, which ROLLBACK TO leaves in place.
  const absl::Status end =
      Exec(db, write.status.ok() ? "RELEASE write" : "ROLLBACK TO write; RELEASE write");
  if (!end.ok() && write.status.ok()) write.status = end;
  return end;
}

absl::Status Database::ReadTransaction(absl::FunctionRef<absl::Status(SQLite::Database&)> body) {
  ReaderLease lease(*this);
  SQLite::Database& db = lease.connection();
  VELKNEE_RETURN_IF_ERROR(Exec(db, "BEGIN"));
  absl::Status status = Guard([&] { return body(db); });
  Exec(db, "COMMIT").IgnoreError();
  return status;
}

absl::Status SqliteErrorToStatus(int extended_error_code, absl::string_view message) {
  const std::string text = absl::StrCat("storage: ", message);
  switch (extended_error_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(text);
    default:
      break;
  }
  switch (extended_error_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(text);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(text);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(text);
    default:
      return absl::InternalError(text);
  }
}

}  // namespace velknee
