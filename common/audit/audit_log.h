#ifndef VELKNEE_COMMON_AUDIT_AUDIT_LOG_H_
#define VELKNEE_COMMON_AUDIT_AUDIT_LOG_H_

// The audit trail of one service: who called what on which resource, with what outcome.
// Rows are append-only (SQL triggers refuse UPDATE and DELETE) and hash-chained: each row's
// hash covers its content and the previous row's hash, so VerifyAuditChain finds a row that
// was changed or removed by hand. Events never hold clinical content, only resource names.

#include <span>
#include <string>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"

namespace velknee {

// Schema of the audit table; every service lists it among its migrations.
extern const Migration kAuditMigration;

// Who made a call, and through which method: what every audit event of the call shares.
struct AuditActor {
  std::string principal;  // Empty for a caller without a valid token.
  std::string role;       // Empty likewise.
  std::string method;     // Full gRPC method name.
};

struct AuditEvent {
  absl::Time time;
  AuditActor actor;
  std::string resource;  // Resource name, or the collection for lists; empty for denied calls.
  absl::StatusCode code = absl::StatusCode::kOk;
};

// Appends `event` inside the caller's write transaction, so the event commits (or not)
// together with the change it records. Throws SQLite::Exception on storage failure, which
// Database::Write maps to a status.
void AppendAuditEvent(SQLite::Database& db, const AuditEvent& event);

// Appends `events` in order, as AppendAuditEvent does each, inside the caller's write
// transaction. The chain's tip is read and the statement prepared once for the whole span, so
// a batch costs one insert per event.
void AppendAuditEvents(SQLite::Database& db, std::span<const AuditEvent> events);

// Appends, as AppendAuditEvent does, that `actor`'s call succeeded on `resource` now: the event
// every write records for the record it wrote.
void AppendSuccess(SQLite::Database& db, const AuditActor& actor, absl::string_view resource);

// OK when every row is intact. DATA_LOSS naming the first row that was changed or removed
// (including rows removed from the end of the log).
absl::Status VerifyAuditChain(SQLite::Database& db);

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUDIT_AUDIT_LOG_H_
