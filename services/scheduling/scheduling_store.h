#ifndef VELKNEE_SERVICES_SCHEDULING_SCHEDULING_STORE_H_
#define VELKNEE_SERVICES_SCHEDULING_SCHEDULING_STORE_H_

// Therapists and appointments in the scheduling database. Bookings run in one write
// transaction that checks for overlaps and inserts, so of two bookings racing for one slot
// exactly one wins.
//
// Thread-safe (the Database serialises writes).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/idempotency.h"
#include "common/audit/audit_log.h"
#include "common/records/record_store.h"
#include "common/records/resource_rows.h"
#include "common/storage/database.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/scheduling_service.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::scheduling {

// The schema of scheduling.db after the audit and idempotency tables, in migration order.
extern const Migration kSchedulingMigration;
extern const Migration kSchedulingListsMigration;

// Which appointments a list returns: of a therapist and/or a client, starting in [from, to).
struct AppointmentQuery {
  std::string therapist_id;  // Empty: any.
  std::string client_id;     // Empty: any.
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
};

class SchedulingStore {
 public:
  explicit SchedulingStore(Database* db);

  // Stores a new therapist with id `id` once per key. ALREADY_EXISTS (THERAPIST_EXISTS) when
  // the id is taken.
  absl::StatusOr<v1::Therapist> CreateTherapist(const std::string& id, v1::Therapist therapist,
                                                const IdempotencyKey& key, const AuditActor& actor);
  // Therapist `id`; NOT_FOUND when there is none.
  absl::StatusOr<v1::Therapist> GetTherapist(const std::string& id) {
    return therapists_.Get({id});
  }
  // Reads, checks `etag`, changes and stores therapist `id` in one transaction
  // (RecordStore::Update).
  absl::StatusOr<v1::Therapist> UpdateTherapist(const std::string& id, const std::string& etag,
                                                RecordStore<v1::Therapist>::Change change,
                                                const AuditActor& actor) {
    return therapists_.Update({id}, etag, change, actor);
  }
  // Inside a transaction: therapist `id`, or NOT_FOUND.
  absl::StatusOr<v1::Therapist> ReadTherapist(SQLite::Database& db, const std::string& id) const {
    return therapists_.Read(db, {id});
  }
  // Therapists by id; only active ones unless `show_inactive`; only those offering
  // `technique` unless it is 0.
  absl::StatusOr<ResourcePage<v1::Therapist>> ListTherapists(int technique, bool show_inactive,
                                                             int page_size,
                                                             const std::string& after_id);

  // Inserts `appointment` (validated) as BOOKED, once per key, after `check` (run in the same
  // transaction) allows it. `check` sees the database and the appointment (with its name set)
  // and refuses a conflict.
  absl::StatusOr<v1::Appointment> Book(v1::Appointment appointment, const IdempotencyKey& key,
                                       const AuditActor& actor,
                                       RecordStore<v1::Appointment>::Check check);

  // The appointment already booked by the request with `key`, if any, so a retry is answered
  // before the peers are asked again.
  absl::StatusOr<std::optional<v1::Appointment>> FindEarlierBooking(const IdempotencyKey& key) {
    return appointments_.FindEarlierResponse(key);
  }

  // Books every appointment of `series` in one transaction, once per key: `check` runs for each
  // (with its name set) and returns the problem with that session, or OK; when any session has
  // a problem nothing is booked and `refuse` turns the list of problems into the error.
  absl::StatusOr<v1::BookSeriesResponse> BookSeries(
      std::vector<v1::Appointment> series, const IdempotencyKey& key, const AuditActor& actor,
      RecordStore<v1::Appointment>::Check check,
      absl::FunctionRef<absl::Status(const std::vector<absl::Status>&)> refuse);

  // The earlier answer to a series request with `key`, if any.
  absl::StatusOr<std::optional<v1::BookSeriesResponse>> FindEarlierSeries(
      const IdempotencyKey& key) {
    return FindEarlierIdempotentResponse<v1::BookSeriesResponse>(*db_, key);
  }

  // The therapist and the busy intervals [start, end) of their live appointments overlapping
  // [from, to), ordered by start; one query.
  absl::Status ReadAvailability(const std::string& therapist_id, absl::Time from, absl::Time to,
                                v1::Therapist& therapist,
                                std::vector<std::pair<absl::Time, absl::Time>>& busy);

  // Appointment `id`; NOT_FOUND when there is none.
  absl::StatusOr<v1::Appointment> GetAppointment(const std::string& id) {
    return appointments_.Get({id});
  }
  // Reads, checks `etag`, changes and stores appointment `id` in one transaction
  // (RecordStore::Update).
  absl::StatusOr<v1::Appointment> UpdateAppointment(const std::string& id, const std::string& etag,
                                                    RecordStore<v1::Appointment>::Change change,
                                                    const AuditActor& actor) {
    return appointments_.Update({id}, etag, change, actor);
  }
  // Appointments matching `query`, ordered by start time.
  absl::StatusOr<ResourcePage<v1::Appointment>> ListAppointments(const AppointmentQuery& query,
                                                                 int page_size,
                                                                 const std::string& after_id);

 private:
  Database* const db_;
  RecordStore<v1::Therapist> therapists_;
  RecordStore<v1::Appointment> appointments_;
};

// Inside a transaction: the live (BOOKED or CHECKED_IN) appointments of therapist `therapist_id`
// or client `client_id` overlapping [start, end), other than `except_id`, ordered by start.
// DATA_LOSS when a stored appointment is unreadable.
absl::StatusOr<std::vector<v1::Appointment>> FindConflicts(SQLite::Database& db,
                                                           const std::string& therapist_id,
                                                           const std::string& client_id,
                                                           absl::Time start, absl::Time end,
                                                           const std::string& except_id);

}  // namespace velknee::scheduling

#endif  // VELKNEE_SERVICES_SCHEDULING_SCHEDULING_STORE_H_
