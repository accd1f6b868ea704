#include "services/intake/assessment_store.h"

namespace velknee::intake {

// state is velknee.intake.v1.Assessment.State: 2 = SUBMITTED.
const Migration kAssessmentsMigration = {"assessments",
                                         R"sql(
      CREATE TABLE assessments (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients (id),
        create_unix_micros INTEGER NOT NULL,
        state INTEGER NOT NULL,
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX assessments_by_client ON assessments (client_id, create_unix_micros, id);
      CREATE TRIGGER assessments_locked_once_submitted BEFORE UPDATE ON assessments
      WHEN OLD.state = 2
      BEGIN SELECT RAISE(ABORT, 'a submitted assessment is locked'); END;
      CREATE TRIGGER assessments_never_deleted BEFORE DELETE ON assessments
      BEGIN SELECT RAISE(ABORT, 'assessments are never deleted'); END;
    )sql"};

}  // namespace velknee::intake
