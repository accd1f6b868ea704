#ifndef VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_
#define VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_

// Client records in the intake database. Each row keeps the whole Client message plus the
// columns that lists search and sort on. Every write commits together with its audit event
// and, for creates, its idempotency key.
//
// Thread-safe (the Database serialises writes).

#include <string>

#include "absl/status/statusor.h"
#include "common/records/record_store.h"
#include "common/records/resource_rows.h"
#include "common/storage/database.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee::intake {

// The part of the intake schema that holds clients.
extern const Migration kClientsMigration;
// ListClients' search keys, built from the clients already stored.
extern const Migration kClientSearchKeysMigration;

struct ClientQuery {
  // Lowercased name prefix or phone digits; empty matches everyone.
  std::string text;
  bool show_archived = false;
};

// Clients, named by kClientPattern. Create, Get, Update and Read are RecordStore's; the store
// keeps the lowercased names and whether the client is archived as columns, and the client's
// search keys (kClientSearchKeysMigration) beside it, for ListClients.
class ClientStore : public RecordStore<v1::Client> {
 public:
  explicit ClientStore(Database* db);

  // Clients matching `query`, starting after the client with id `after_id` (empty for the first
  // page); each page is one index range scan, whatever the query matches. Without a query,
  // ordered by family name, given name and id. With one, each client once, in the order of the
  // key it matched first ("given family" or "family given" for a name, the phone's digits from
  // the match on for digits), then id. Page tokens carry only that id, never the names the list
  // is sorted by. INVALID_ARGUMENT on page_token when that client no longer exists; ABORTED
  // (PAGE_TOKEN_STALE) when it changed and no longer matches the query.
  absl::StatusOr<ResourcePage<v1::Client>> List(const ClientQuery& query, int page_size,
                                                const std::string& after_id);

 private:
  absl::StatusOr<ResourcePage<v1::Client>> ListByName(SQLite::Database& db, bool show_archived,
                                                      int page_size, const std::string& after_id);
  absl::StatusOr<ResourcePage<v1::Client>> Search(SQLite::Database& db, const ClientQuery& query,
                                                  int page_size, const std::string& after_id);
};

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_
