#ifndef VELKNEE_SERVICES_PLANS_PLAN_SERVICE_H_
#define VELKNEE_SERVICES_PLANS_PLAN_SERVICE_H_

// TreatmentPlanService: treatment plans written from submitted intake assessments, which it
// reads through IntakeService's gRPC contract (never intake's database).
//
// Thread-safe.

#include <vector>

#include "common/client/peer.h"
#include "common/server/rpc.h"
#include "common/storage/database.h"
#include "services/plans/plan_store.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

namespace velknee::plans {

// The ordered schema of plans.db.
std::vector<Migration> PlanMigrations();

class PlanService final : public v1::TreatmentPlanService::Service {
 public:
  // `db` is plans.db (opened with PlanMigrations()), `audit` its audit queue, `intake` the
  // intake service; none is owned.
  PlanService(Database* db, AuditQueue* audit, TokenStore* tokens, absl::Duration default_deadline,
              const Peer* intake);

  grpc::Status CreatePlan(grpc::ServerContext* context, const v1::CreatePlanRequest* request,
                          v1::TreatmentPlan* response) override;
  grpc::Status GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* request,
                       v1::TreatmentPlan* response) override;
  grpc::Status UpdatePlan(grpc::ServerContext* context, const v1::UpdatePlanRequest* request,
                          v1::TreatmentPlan* response) override;
  grpc::Status ActivatePlan(grpc::ServerContext* context, const v1::ActivatePlanRequest* request,
                            v1::TreatmentPlan* response) override;
  grpc::Status CompletePlan(grpc::ServerContext* context, const v1::CompletePlanRequest* request,
                            v1::TreatmentPlan* response) override;
  grpc::Status DiscontinuePlan(grpc::ServerContext* context,
                               const v1::DiscontinuePlanRequest* request,
                               v1::TreatmentPlan* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context, const v1::ListPlansRequest* request,
                         v1::ListPlansResponse* response) override;

 private:
  // Reads assessment `name` from the intake service with the SERVICE token, within `call`'s
  // deadline. UNAVAILABLE / DEADLINE_EXCEEDED naming the intake service when it cannot answer.
  absl::StatusOr<intake::v1::Assessment> ReadAssessment(const Call& call,
                                                        const std::string& name) const;

  // Moves plan `name` to a new state through `change`, which sees the stored plan and the
  // database (for the one-active-plan rule).
  absl::StatusOr<v1::TreatmentPlan> ChangePlan(
      const Call& call, const std::string& name, const std::string& etag,
      absl::FunctionRef<absl::Status(v1::TreatmentPlan&, SQLite::Database&)> change);

  const RpcRunner rpc_;
  PlanStore plans_;
  const Peer* const intake_;
};

}  // namespace velknee::plans

#endif  // VELKNEE_SERVICES_PLANS_PLAN_SERVICE_H_
