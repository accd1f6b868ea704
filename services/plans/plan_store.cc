#include "services/plans/plan_store.h"

#include "SQLiteCpp/Statement.h"

namespace velknee::plans {

// state is velknee.plans.v1.TreatmentPlan.State: 2 = ACTIVE, 3 = COMPLETED, 4 = DISCONTINUED.
const Migration kPlansMigration = {"plans",
                                   R"sql(
      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        create_unix_micros INTEGER NOT NULL,
        state INTEGER NOT NULL,
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX plans_by_client ON plans (client_id, create_unix_micros, id);
      CREATE UNIQUE INDEX plans_one_active_per_client ON plans (client_id) WHERE state = 2;
      CREATE TRIGGER plans_ended_are_final BEFORE UPDATE ON plans WHEN OLD.state IN (3, 4)
      BEGIN SELECT RAISE(ABORT, 'a completed or discontinued plan is final'); END;
      CREATE TRIGGER plans_never_deleted BEFORE DELETE ON plans
      BEGIN SELECT RAISE(ABORT, 'plans are never deleted; discontinue them'); END;
    )sql"};

// ListPlans filtered by state: one range scan of the client's plans in that state, however many
// plans they have in others.
const Migration kPlansByStateMigration = {"plans listed by state",
                                          R"sql(
      CREATE INDEX plans_by_client_state ON plans (client_id, state, create_unix_micros, id);
    )sql"};

std::optional<std::string> FindOtherActivePlan(SQLite::Database& db, const std::string& client_id,
                                               const std::string& except_id) {
  SQLite::Statement query(db, "SELECT id FROM plans WHERE client_id = ? AND state = 2 AND id != ?");
  query.bind(1, client_id);
  query.bind(2, except_id);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

}  // namespace velknee::plans
