#include "services/plans/plan_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/api/field_mask.h"
#include "common/api/idempotency.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/screening/screening_rules.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"
#include "services/intake/names.h"
#include "services/plans/names.h"
#include "services/plans/plan_validation.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee::plans {
namespace {

using v1::TreatmentPlan;

using intake::kAssessmentPattern;
using intake::kClientPattern;

absl::Status StateProblem(absl::string_view reason, const TreatmentPlan& plan,
                          absl::string_view what) {
  return PreconditionFailed(reason, absl::StrCat("cannot change ", plan.name()),
                            {{"STATE", plan.name(), std::string(what)}});
}

std::string StateWord(TreatmentPlan::State state) {
  return absl::AsciiStrToLower(TreatmentPlan::State_Name(state).substr(6));
}

// The assessment must be the client's own, submitted, and not referred out.
absl::Status CheckAssessmentUsable(const intake::v1::Assessment& assessment) {
  if (assessment.state() != intake::v1::Assessment::STATE_SUBMITTED) {
    return PreconditionFailed(
        "ASSESSMENT_NOT_SUBMITTED", "cannot plan from this assessment",
        {{"STATE", assessment.name(),
          absl::StrCat(assessment.name(), " is still a draft; submit it first")}});
  }
  if (assessment.screening().disposition() == common::v1::DISPOSITION_REFER_OUT) {
    std::vector<std::string> conditions;
    for (int condition : assessment.screening().refer_out_conditions()) {
      conditions.emplace_back(ConditionInPlainWords(static_cast<common::v1::Condition>(condition)));
    }
    return PreconditionFailed(
        "ASSESSMENT_REFERRED_OUT", "cannot plan treatment",
        {{"REFER_OUT", assessment.name(),
          absl::StrCat(assessment.name(), " was screened REFER_OUT (",
                       absl::StrJoin(conditions, ", "),
                       "): refer the client to a physician; after a medical clearance take "
                       "a new assessment that records it")}});
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Migration> PlanMigrations() {
  return {kAuditMigration, kIdempotencyMigration, kPlansMigration, kPlansByStateMigration};
}

PlanService::PlanService(Database* db, AuditQueue* audit, TokenStore* tokens,
                         absl::Duration default_deadline, const Peer* intake)
    : rpc_(std::string(v1::TreatmentPlanService::service_full_name()), tokens, audit,
           default_deadline),
      plans_(db),
      intake_(intake) {}

absl::StatusOr<intake::v1::Assessment> PlanService::ReadAssessment(const Call& call,
                                                                   const std::string& name) const {
  intake::v1::GetAssessmentRequest request;
  request.set_name(name);
  return intake_->Call(call.deadline(), &intake::v1::IntakeService::Stub::GetAssessment, request);
}

grpc::Status PlanService::CreatePlan(grpc::ServerContext* context,
                                     const v1::CreatePlanRequest* request,
                                     TreatmentPlan* response) {
  return rpc_.Run(context, "CreatePlan", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string client_id,
                             ParseResourceId(request->parent(), kClientPattern, "parent"));
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    TreatmentPlan plan = request->plan();
    ClearOutputOnly(&plan);
    VELKNEE_ASSIGN_OR_RETURN(
        const std::vector<std::string> assessment_ids,
        ParseResourceName(plan.assessment(), kAssessmentPattern, "plan.assessment"));
    VELKNEE_RETURN_IF_ERROR(ValidatePlan(plan));
    if (assessment_ids[0] != client_id) {
      return PreconditionFailed(
          "ASSESSMENT_OF_ANOTHER_CLIENT", "cannot plan from this assessment",
          {{"CLIENT", plan.assessment(),
            absl::StrCat(plan.assessment(), " belongs to another client than ",
                         request->parent())}});
    }
    const IdempotencyKey key =
        MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request);
    VELKNEE_ASSIGN_OR_RETURN(const bool answered,
                             AnsweredEarlier(plans_.FindEarlierResponse(key), *response));
    if (answered) return absl::OkStatus();
    // The peer call comes before any transaction: no lock is held across the network.
    VELKNEE_ASSIGN_OR_RETURN(const intake::v1::Assessment assessment,
                             ReadAssessment(call, plan.assessment()));
    VELKNEE_RETURN_IF_ERROR(CheckAssessmentUsable(assessment));
    *plan.mutable_screening() = assessment.screening();
    VELKNEE_RETURN_IF_ERROR(CheckAgainstScreening(plan));
    plan.set_state(TreatmentPlan::STATE_DRAFT);
    plan.set_therapist(call.principal().therapist);
    VELKNEE_ASSIGN_OR_RETURN(*response, plans_.Create({client_id}, plan, key, call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status PlanService::GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* request,
                                  TreatmentPlan* response) {
  return rpc_.Run(context, "GetPlan", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(request->name(), kPlanPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, plans_.Get(ids));
    call.RecordRead(response->name());
    return absl::OkStatus();
  });
}

absl::StatusOr<TreatmentPlan> PlanService::ChangePlan(
    const Call& call, const std::string& name, const std::string& etag,
    absl::FunctionRef<absl::Status(TreatmentPlan&, SQLite::Database&)> change) {
  VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                           ParseResourceName(name, kPlanPattern, "name"));
  return plans_.Update(ids, etag, change, call.actor());
}

grpc::Status PlanService::UpdatePlan(grpc::ServerContext* context,
                                     const v1::UpdatePlanRequest* request,
                                     TreatmentPlan* response) {
  return rpc_.Run(context, "UpdatePlan", [&](const Call& call) -> absl::Status {
    const TreatmentPlan& patch = request->plan();
    VELKNEE_RETURN_IF_ERROR(ParseResourceName(patch.name(), kPlanPattern, "plan.name").status());
    VELKNEE_RETURN_IF_ERROR(ValidateUpdateMask(request->update_mask(), patch));
    VELKNEE_ASSIGN_OR_RETURN(
        *response, ChangePlan(call, patch.name(), patch.etag(),
                              [&](TreatmentPlan& plan, SQLite::Database&) -> absl::Status {
                                if (plan.state() != TreatmentPlan::STATE_DRAFT &&
                                    plan.state() != TreatmentPlan::STATE_ACTIVE) {
                                  return StateProblem(
                                      "PLAN_ENDED", plan,
                                      absl::StrCat(plan.name(), " is ", StateWord(plan.state()),
                                                   " and can no longer change"));
                                }
                                ApplyUpdateMask(request->update_mask(), patch, &plan);
                                VELKNEE_RETURN_IF_ERROR(ValidatePlan(plan));
                                VELKNEE_RETURN_IF_ERROR(CheckAgainstScreening(plan));
                                if (plan.state() == TreatmentPlan::STATE_ACTIVE) {
                                  return CheckReadyToActivate(plan);
                                }
                                return absl::OkStatus();
                              }));
    return absl::OkStatus();
  });
}

grpc::Status PlanService::ActivatePlan(grpc::ServerContext* context,
                                       const v1::ActivatePlanRequest* request,
                                       TreatmentPlan* response) {
  return rpc_.Run(context, "ActivatePlan", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(
        *response,
        ChangePlan(
            call, request->name(), request->etag(),
            [&](TreatmentPlan& plan, SQLite::Database& db) -> absl::Status {
              if (plan.state() != TreatmentPlan::STATE_DRAFT) {
                return StateProblem("PLAN_NOT_DRAFT", plan,
                                    absl::StrCat(plan.name(), " is ", StateWord(plan.state()),
                                                 "; only a draft can be activated"));
              }
              VELKNEE_RETURN_IF_ERROR(CheckReadyToActivate(plan));
              VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                                       ParseResourceName(plan.name(), kPlanPattern, "name"));
              if (std::optional<std::string> active = FindOtherActivePlan(db, ids[0], ids[1])) {
                const std::string other = FormatResourceName(kPlanPattern, {ids[0], *active});
                return PreconditionFailed(
                    "ACTIVE_PLAN_EXISTS", absl::StrCat("cannot activate ", plan.name()),
                    {{"STATE", other,
                      absl::StrCat("the client already has an active plan, ", other,
                                   "; complete or discontinue it first")}});
              }
              plan.set_state(TreatmentPlan::STATE_ACTIVE);
              *plan.mutable_activate_time() = ToTimestamp(absl::Now());
              return absl::OkStatus();
            }));
    return absl::OkStatus();
  });
}

grpc::Status PlanService::CompletePlan(grpc::ServerContext* context,
                                       const v1::CompletePlanRequest* request,
                                       TreatmentPlan* response) {
  return rpc_.Run(context, "CompletePlan", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    VELKNEE_ASSIGN_OR_RETURN(
        *response, ChangePlan(call, request->name(), request->etag(),
                              [&](TreatmentPlan& plan, SQLite::Database&) -> absl::Status {
                                if (plan.state() != TreatmentPlan::STATE_ACTIVE) {
                                  return StateProblem(
                                      "PLAN_NOT_ACTIVE", plan,
                                      absl::StrCat(plan.name(), " is ", StateWord(plan.state()),
                                                   "; only an active plan can complete"));
                                }
                                plan.set_state(TreatmentPlan::STATE_COMPLETED);
                                plan.set_end_reason(request->reason());
                                *plan.mutable_end_time() = ToTimestamp(absl::Now());
                                return absl::OkStatus();
                              }));
    return absl::OkStatus();
  });
}

grpc::Status PlanService::DiscontinuePlan(grpc::ServerContext* context,
                                          const v1::DiscontinuePlanRequest* request,
                                          TreatmentPlan* response) {
  return rpc_.Run(context, "DiscontinuePlan", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    VELKNEE_ASSIGN_OR_RETURN(
        *response, ChangePlan(call, request->name(), request->etag(),
                              [&](TreatmentPlan& plan, SQLite::Database&) -> absl::Status {
                                if (plan.state() != TreatmentPlan::STATE_DRAFT &&
                                    plan.state() != TreatmentPlan::STATE_ACTIVE) {
                                  return StateProblem("PLAN_ENDED", plan,
                                                      absl::StrCat(plan.name(), " is already ",
                                                                   StateWord(plan.state())));
                                }
                                plan.set_state(TreatmentPlan::STATE_DISCONTINUED);
                                plan.set_end_reason(request->reason());
                                *plan.mutable_end_time() = ToTimestamp(absl::Now());
                                return absl::OkStatus();
                              }));
    return absl::OkStatus();
  });
}

grpc::Status PlanService::ListPlans(grpc::ServerContext* context,
                                    const v1::ListPlansRequest* request,
                                    v1::ListPlansResponse* response) {
  return rpc_.Run(context, "ListPlans", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string client_id,
                             ParseResourceId(request->parent(), kClientPattern, "parent"));
    if (!TreatmentPlan::State_IsValid(request->state())) {
      return InvalidField("state", "must be one of the plan states, or unset for all");
    }
    VELKNEE_ASSIGN_OR_RETURN(const PageRequest paging, ReadPageRequest(*request));
    std::vector<ColumnAndValue> filters;
    if (request->state() != TreatmentPlan::STATE_UNSPECIFIED) {
      filters.push_back({"state", static_cast<int64_t>(request->state())});
    }
    VELKNEE_ASSIGN_OR_RETURN(ResourcePage<TreatmentPlan> page,
                             plans_.List(client_id, filters, paging.page_size, paging.after_id));
    for (TreatmentPlan& plan : page.items) *response->add_plans() = std::move(plan);
    response->set_next_page_token(NextPageToken(paging, page.next_after_id));
    call.RecordRead(request->parent());
    return absl::OkStatus();
  });
}

}  // namespace velknee::plans
