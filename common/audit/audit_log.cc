#include "common/audit/audit_log.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"

namespace velknee {

const Migration kAuditMigration = {"audit log",
                                   R"sql(
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        principal TEXT NOT NULL,
        role TEXT NOT NULL,
        method TEXT NOT NULL,
        resource TEXT NOT NULL,
        code INTEGER NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    )sql"};

namespace {

const std::string kGenesisHash(64, '0');

struct Row {
  int64_t seq;
  std::string time, principal, role, method, resource;
  int code;
  std::string prev_hash;
};

std::string RowHash(const Row& row) {
  // Unit separators keep field boundaries unambiguous.
  return Sha256Hex(absl::StrCat(row.prev_hash, "\x1f", row.seq, "\x1f", row.time, "\x1f",
                                row.principal, "\x1f", row.role, "\x1f", row.method, "\x1f",
                                row.resource, "\x1f", row.code));
}

// The highest seq ever given out, which AUTOINCREMENT keeps even when rows are deleted.
int64_t HighestSeq(SQLite::Database& db) {
  SQLite::Statement query(db, "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
  return query.executeStep() ? query.getColumn(0).getInt64() : 0;
}

}  // namespace

void AppendAuditEvent(SQLite::Database& db, const AuditEvent& event) {
  AppendAuditEvents(db, {&event, 1});
}

void AppendAuditEvents(SQLite::Database& db, std::span<const AuditEvent> events) {
  if (events.empty()) return;
  SQLite::Statement last(db, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  std::string prev_hash = last.executeStep() ? last.getColumn(0).getString() : kGenesisHash;
  int64_t seq = HighestSeq(db);
  SQLite::Statement insert(db,
                           "INSERT INTO audit_log (seq, time, principal, role, method, resource, "
                           "code, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const AuditEvent& event : events) {
    Row row{++seq,
            absl::FormatTime("%Y-%m-%d%ET%H:%M:%E6SZ", event.time, absl::UTCTimeZone()),
            event.actor.principal,
            event.actor.role,
            event.actor.method,
            event.resource,
            static_cast<int>(event.code),
            std::move(prev_hash)};
    std::string hash = RowHash(row);
    insert.reset();
    insert.bind(1, row.seq);
    insert.bind(2, row.time);
    insert.bind(3, row.principal);
    insert.bind(4, row.role);
    insert.bind(5, row.method);
    insert.bind(6, row.resource);
    insert.bind(7, row.code);
    insert.bind(8, row.prev_hash);
    insert.bind(9, hash);
    insert.exec();
    prev_hash = std::move(hash);
  }
}

void AppendSuccess(SQLite::Database& db, const AuditActor& actor, absl::string_view resource) {
  AppendAuditEvent(db,
                   AuditEvent{absl::Now(), actor, std::string(resource), absl::StatusCode::kOk});
}

absl::Status VerifyAuditChain(SQLite::Database& db) {
  SQLite::Statement rows(db,
                         "SELECT seq, time, principal, role, method, resource, code, prev_hash, "
                         "hash FROM audit_log ORDER BY seq");
  std::string previous_hash = kGenesisHash;
  int64_t expected_seq = 1;
  while (rows.executeStep()) {
    Row row{rows.getColumn(0).getInt64(),  rows.getColumn(1).getString(),
            rows.getColumn(2).getString(), rows.getColumn(3).getString(),
            rows.getColumn(4).getString(), rows.getColumn(5).getString(),
            rows.getColumn(6).getInt(),    rows.getColumn(7).getString()};
    if (row.seq != expected_seq) {
      return absl::DataLossError(absl::StrCat("audit row ", expected_seq, " was removed"));
    }
    const bool self_consistent = RowHash(row) == rows.getColumn(8).getString();
    if (row.prev_hash != previous_hash || !self_consistent) {
      // A row that no longer matches its own hash is the one that was changed. A row whose
      // own hash was recomputed after an edit still breaks the next row's link, so a
      // consistent row with a broken link points at the row before it.
      const int64_t changed = self_consistent && row.seq > 1 ? row.seq - 1 : row.seq;
      return absl::DataLossError(absl::StrCat("audit row ", changed, " was changed"));
    }
    previous_hash = rows.getColumn(8).getString();
    ++expected_seq;
  }
  if (const int64_t highest = HighestSeq(db); highest >= expected_seq) {
    return absl::DataLossError(absl::StrCat("audit rows ", expected_seq, " to ", highest,
                                            " were removed from the end of the log"));
  }
  return absl::OkStatus();
}

}  // namespace velknee
