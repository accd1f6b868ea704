#ifndef VELKNEE_SERVICES_PLANS_PLAN_STORE_H_
#define VELKNEE_SERVICES_PLANS_PLAN_STORE_H_

// Treatment plans in the plans database, each under its client. The schema allows at most one
// ACTIVE plan per client and keeps COMPLETED and DISCONTINUED plans unchanged; no plan is ever
// deleted.

#include <optional>
#include <string>

#include "SQLiteCpp/Database.h"
#include "common/records/client_record_store.h"
#include "common/storage/database.h"
#include "services/plans/names.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::plans {

// The schema of plans.db after the audit and idempotency tables, in migration order.
extern const Migration kPlansMigration;
extern const Migration kPlansByStateMigration;

class PlanStore : public ClientRecordStore<v1::TreatmentPlan> {
 public:
  explicit PlanStore(Database* db) : ClientRecordStore(db, "plans", std::string(kPlanPattern)) {}
};

// Inside a transaction: the id of client `client_id`'s ACTIVE plan other than `except_id`, if
// there is one.
std::optional<std::string> FindOtherActivePlan(SQLite::Database& db, const std::string& client_id,
                                               const std::string& except_id);

}  // namespace velknee::plans

#endif  // VELKNEE_SERVICES_PLANS_PLAN_STORE_H_
