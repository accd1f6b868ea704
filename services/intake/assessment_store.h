#ifndef VELKNEE_SERVICES_INTAKE_ASSESSMENT_STORE_H_
#define VELKNEE_SERVICES_INTAKE_ASSESSMENT_STORE_H_

// Intake assessments in the intake database, each under its client. A submitted assessment is
// locked by the schema itself (a trigger refuses to change its row), not only by the service,
// and no assessment is ever deleted.

#include <string>

#include "common/records/client_record_store.h"
#include "common/storage/database.h"
#include "services/intake/names.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee::intake {

// The part of the intake schema that holds assessments.
extern const Migration kAssessmentsMigration;

class AssessmentStore : public ClientRecordStore<v1::Assessment> {
 public:
  explicit AssessmentStore(Database* db)
      : ClientRecordStore(db, "assessments", std::string(kAssessmentPattern)) {}
};

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_ASSESSMENT_STORE_H_
