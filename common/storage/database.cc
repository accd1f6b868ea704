#include "common/storage/database.h"

#include <sqlite3.h>

#include <utility>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace velknee {
namespace {

const int kOpenFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;

// Runs `body`, turning a thrown SQLite::Exception into a status.
absl::Status Guard(absl::FunctionRef<absl::Status()> body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e.getExtendedErrorCode(), e.what());
  } catch (const std::exception& e) {
    // Anything else (e.g. std::bad_alloc) must still end the transaction cleanly.
    return absl::InternalError(absl::StrCat("storage: ", e.what()));
  }
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
        try {
          db.exec("ROLLBACK");
        } catch (const SQLite::Exception&) {
        }
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

absl::Status Database::WriteTransaction(absl::FunctionRef<absl::Status(SQLite::Database&)> body) {
  absl::Duration commit_time;
  absl::Status result = CommitAlone(body, commit_time);
  if (on_commit_ && result.ok()) on_commit_(commit_time, 1);
  return result;
}

absl::Status Database::CommitAlone(absl::FunctionRef<absl::Status(SQLite::Database&)> body,
                                   absl::Duration& commit_time) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  VELKNEE_RETURN_IF_ERROR(Guard([&] {
    db.exec("BEGIN IMMEDIATE");
    return absl::OkStatus();
  }));
  absl::Status status = Guard([&] { return body(db); });
  const absl::Time commit_start = absl::Now();
  absl::Status end = Guard([&] {
    db.exec(status.ok() ? "COMMIT" : "ROLLBACK");
    return absl::OkStatus();
  });
  commit_time = absl::Now() - commit_start;
  if (!end.ok() && status.ok()) {
    // A failed COMMIT leaves the transaction open; roll it back so the next write starts clean.
    Guard([&] {
      db.exec("ROLLBACK");
      return absl::OkStatus();
    }).IgnoreError();
    return end;
  }
  return status;
}

absl::Status Database::ReadTransaction(absl::FunctionRef<absl::Status(SQLite::Database&)> body) {
  ReaderLease lease(*this);
  SQLite::Database& db = lease.connection();
  VELKNEE_RETURN_IF_ERROR(Guard([&] {
    db.exec("BEGIN");
    return absl::OkStatus();
  }));
  absl::Status status = Guard([&] { return body(db); });
  Guard([&] {
    db.exec("COMMIT");
    return absl::OkStatus();
  }).IgnoreError();
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
