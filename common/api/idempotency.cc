#include "common/api/idempotency.h"

#include "SQLiteCpp/Statement.h"
#include "absl/time/clock.h"
#include "common/api/serialization.h"
#include "common/crypto/sha256.h"
#include "common/status/errors.h"

namespace velknee {

const Migration kIdempotencyMigration = {"idempotency keys",
                                         R"sql(
      CREATE TABLE idempotency_keys (
        principal TEXT NOT NULL,
        method TEXT NOT NULL,
        request_id TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        response BLOB NOT NULL,
        create_unix_micros INTEGER NOT NULL,
        PRIMARY KEY (principal, method, request_id)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (create_unix_micros);
    )sql"};

namespace {

constexpr absl::Duration kRetention = absl::Hours(24 * 7);

}  // namespace

IdempotencyKey MakeIdempotencyKey(absl::string_view principal, absl::string_view method,
                                  absl::string_view request_id,
                                  const google::protobuf::Message& request) {
  return IdempotencyKey{std::string(principal), std::string(method), std::string(request_id),
                        Sha256(DeterministicBytes(request))};
}

absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(SQLite::Database& db,
                                                                  const IdempotencyKey& key) {
  SQLite::Statement query(db,
                          "SELECT fingerprint, response FROM idempotency_keys "
                          "WHERE principal = ? AND method = ? AND request_id = ?");
  query.bind(1, key.principal);
  query.bind(2, key.method);
  query.bind(3, key.request_id);
  if (!query.executeStep()) return std::nullopt;
  if (query.getColumn(0).getString() != key.fingerprint) {
    return WithReason(InvalidField("request_id",
                                   "was already used for a different request; use a new id "
                                   "for a new request"),
                      "REQUEST_ID_REUSED");
  }
  return query.getColumn(1).getString();
}

void RecordIdempotentResponse(SQLite::Database& db, const IdempotencyKey& key,
                              absl::string_view response) {
  const int64_t now = absl::ToUnixMicros(absl::Now());
  SQLite::Statement prune(db, "DELETE FROM idempotency_keys WHERE create_unix_micros < ?");
  prune.bind(1, static_cast<int64_t>(now - absl::ToInt64Microseconds(kRetention)));
  prune.exec();
  SQLite::Statement insert(db,
                           "INSERT INTO idempotency_keys (principal, method, request_id, "
                           "fingerprint, response, create_unix_micros) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, key.principal);
  insert.bind(2, key.method);
  insert.bind(3, key.request_id);
  insert.bind(4, key.fingerprint.data(), static_cast<int>(key.fingerprint.size()));
  insert.bind(5, response.data(), static_cast<int>(response.size()));
  insert.bind(6, now);
  insert.exec();
}

}  // namespace velknee
