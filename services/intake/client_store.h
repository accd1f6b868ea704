#ifndef VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_
#define VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_

// Client records in the intake database. Each row keeps the whole Client message plus the
// columns that lists search and sort on. Every write commits together with its audit event
// and, for creates, its idempotency key.
//
// Thread-safe (the Database serialises writes).

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/api/idempotency.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "common/storage/resource_rows.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee::intake {

// The part of the intake schema that holds clients.
extern const Migration kClientsMigration;

struct ClientQuery {
  // Lowercased name prefix or phone digits; empty matches everyone.
  std::string text;
  bool show_archived = false;
};

// Inside a transaction of the intake database: client `id`, or NOT_FOUND.
absl::StatusOr<v1::Client> ReadClient(SQLite::Database& db, const std::string& id);

class ClientStore {
 public:
  explicit ClientStore(Database* db) : db_(db) {}

  // Stores `client` (already validated) as a new ACTIVE client with a fresh random id, once
  // per idempotency key. Returns the stored client.
  absl::StatusOr<v1::Client> Create(v1::Client client, const IdempotencyKey& key,
                                    const AuditEvent& audit);

  // NOT_FOUND when no client has `id`.
  absl::StatusOr<v1::Client> Get(const std::string& id);

  // Reads client `id`, checks `etag` (ABORTED on mismatch), lets `change` edit it (its error
  // aborts the update), stamps update_time and a new etag, and stores it, all in one
  // transaction. NOT_FOUND when no client has `id`.
  absl::StatusOr<v1::Client> Update(const std::string& id, const std::string& etag,
                                    absl::FunctionRef<absl::Status(v1::Client&)> change,
                                    const AuditEvent& audit);

  // Clients matching `query` ordered by family name, given name and id, starting after the
  // client with id `after_id` (empty for the first page). Page tokens carry only that id, never
  // the names the list is sorted by.
  absl::StatusOr<ResourcePage<v1::Client>> List(const ClientQuery& query, int page_size,
                                                const std::string& after_id);

 private:
  Database* const db_;
};

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_
