#ifndef VELKNEE_SERVICES_INTAKE_ASSESSMENT_STORE_H_
#define VELKNEE_SERVICES_INTAKE_ASSESSMENT_STORE_H_

// Intake assessments in the intake database, each under its client. A submitted assessment is
// locked by the schema itself (a trigger refuses to change its row), not only by the service,
// and no assessment is ever deleted.
//
// Thread-safe (the Database serialises writes).

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/api/idempotency.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "common/storage/resource_rows.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee::intake {

// The part of the intake schema that holds assessments.
extern const Migration kAssessmentsMigration;

class AssessmentStore {
 public:
  explicit AssessmentStore(Database* db) : db_(db) {}

  // Stores `assessment` (validated, state and therapist set) as a new assessment of client
  // `client_id`, once per idempotency key. NOT_FOUND when the client does not exist;
  // FAILED_PRECONDITION (CLIENT_ARCHIVED) when it is archived.
  absl::StatusOr<v1::Assessment> Create(const std::string& client_id,
                                        v1::Assessment assessment, const IdempotencyKey& key,
                                        const AuditEvent& audit);

  // NOT_FOUND unless client `client_id` has assessment `id`.
  absl::StatusOr<v1::Assessment> Get(const std::string& client_id, const std::string& id);

  // Reads the assessment, checks `etag` (ABORTED on mismatch), lets `change` edit it (its
  // error aborts the update), stamps it and stores it with `audit`, in one transaction.
  absl::StatusOr<v1::Assessment> Update(const std::string& client_id, const std::string& id,
                                        const std::string& etag,
                                        absl::FunctionRef<absl::Status(v1::Assessment&)> change,
                                        const AuditEvent& audit);

  // The client's assessments, newest first, after the one with id `after_id` (empty: from the
  // newest). NOT_FOUND when the client does not exist.
  absl::StatusOr<ResourcePage<v1::Assessment>> List(const std::string& client_id, int page_size,
                                                    const std::string& after_id);

 private:
  Database* const db_;
};

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_ASSESSMENT_STORE_H_
