#ifndef VELKNEE_COMMON_API_IDEMPOTENCY_H_
#define VELKNEE_COMMON_API_IDEMPOTENCY_H_

// AIP-155 request ids. A tablet on clinic Wi-Fi retries a Create whose answer it never saw;
// the retry must return the first answer and write nothing new. Keys live in the service's
// own database, written in the same transaction as the change they guard, for 7 days.

#include <optional>
#include <string>

#include "SQLiteCpp/Database.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/macros.h"
#include "common/storage/database.h"
#include "google/protobuf/message.h"

namespace velknee {

// Schema of the idempotency table; every service lists it among its migrations.
extern const Migration kIdempotencyMigration;

// A request id scoped to the caller and method, with a digest of the whole request.
struct IdempotencyKey {
  std::string principal;
  std::string method;
  std::string request_id;  // Empty: the request is not idempotent and always runs.
  std::string fingerprint;
};

IdempotencyKey MakeIdempotencyKey(absl::string_view principal, absl::string_view method,
                                  absl::string_view request_id,
                                  const google::protobuf::Message& request);

// Inside a write transaction: the serialized response stored for `key`, or an empty optional
// when the key is new. INVALID_ARGUMENT when the id was used before with a different request.
absl::StatusOr<std::optional<std::string>> FindIdempotentResponse(SQLite::Database& db,
                                                                  const IdempotencyKey& key);

// Inside the same write transaction: remembers `response` for `key`.
void RecordIdempotentResponse(SQLite::Database& db, const IdempotencyKey& key,
                              absl::string_view response);

// Outside any transaction: the response stored for `key`, parsed, or an empty optional.
template <typename Response>
absl::StatusOr<std::optional<Response>> FindEarlierIdempotentResponse(Database& db,
                                                                      const IdempotencyKey& key) {
  if (key.request_id.empty()) return std::optional<Response>();
  VELKNEE_ASSIGN_OR_RETURN(const std::optional<std::string> stored,
                           db.Read([&](SQLite::Database& connection) {
                             return FindIdempotentResponse(connection, key);
                           }));
  if (!stored.has_value()) return std::optional<Response>();
  Response response;
  if (!response.ParseFromString(*stored)) {
    return absl::InternalError("stored response for request_id is unreadable");
  }
  return std::optional<Response>(std::move(response));
}

// For a handler, before its peer calls and its write: when an earlier call with the same
// request_id succeeded (`earlier`, as FindEarlierIdempotentResponse returns it), moves that
// response into `response` and returns true; the handler then answers with it and does nothing
// else.
template <typename Response>
absl::StatusOr<bool> AnsweredEarlier(absl::StatusOr<std::optional<Response>> earlier,
                                     Response& response) {
  VELKNEE_RETURN_IF_ERROR(earlier.status());
  if (!earlier->has_value()) return false;
  response = **std::move(earlier);
  return true;
}

// Runs `write` once per key inside the caller's write transaction: a repeat of a key returns
// the first response without calling `write`.
template <typename Response>
absl::StatusOr<Response> RunOnce(SQLite::Database& db, const IdempotencyKey& key,
                                 absl::FunctionRef<absl::StatusOr<Response>()> write) {
  if (key.request_id.empty()) return write();
  VELKNEE_ASSIGN_OR_RETURN(std::optional<std::string> stored, FindIdempotentResponse(db, key));
  if (stored.has_value()) {
    Response response;
    if (!response.ParseFromString(*stored)) {
      return absl::InternalError("stored response for request_id is unreadable");
    }
    return response;
  }
  VELKNEE_ASSIGN_OR_RETURN(Response response, write());
  RecordIdempotentResponse(db, key, response.SerializeAsString());
  return response;
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_IDEMPOTENCY_H_
