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

struct ClientQuery {
  // Lowercased name prefix or phone digits; empty matches everyone.
  std::string text;
  bool show_archived = false;
};

// Clients, named by kClientPattern. Create, Get, Update and Read are RecordStore's; the store
// keeps the lowercased names, the phone digits and whether the client is archived as columns
// for ListClients.
class ClientStore : public RecordStore<v1::Client> {
 public:
  explicit ClientStore(Database* db);

  // Clients matching `query` ordered by family name, given name and id, starting after the
  // client with id `after_id` (empty for the first page). Page tokens carry only that id, never
  // the names the list is sorted by.
  absl::StatusOr<ResourcePage<v1::Client>> List(const ClientQuery& query, int page_size,
                                                const std::string& after_id);
};

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_CLIENT_STORE_H_
