#include "services/intake/intake_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/field_mask.h"
#include "common/api/idempotency.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/audit/audit_log.h"
#include "common/screening/screen_assessment.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"
#include "services/intake/assessment_validation.h"
#include "services/intake/client_validation.h"
#include "services/intake/names.h"

namespace velknee::intake {
namespace {

// The search text of ListClients: lowercased with single spaces; a query made only of digits
// and phone separators becomes its digits.
std::string NormalizeQuery(absl::string_view query) {
  std::string digits;
  bool phone_like = true;
  for (char c : query) {
    if (absl::ascii_isdigit(c)) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
      phone_like = false;
    }
  }
  if (phone_like && !digits.empty()) return digits;
  std::string text = absl::AsciiStrToLower(query);
  absl::RemoveExtraAsciiWhitespace(&text);
  return text;
}

// Consent is stamped by the server when it is first given, and withdrawn with it.
void StampConsent(v1::Assessment& assessment, absl::Time now) {
  v1::Consent& consent = *assessment.mutable_consent();
  if (!consent.informed_consent()) {
    consent.clear_sign_time();
  } else if (!consent.has_sign_time()) {
    *consent.mutable_sign_time() = ToTimestamp(now);
  }
}

// New assessments only for active clients.
absl::Status CheckClientActive(const ClientStore& clients, SQLite::Database& db,
                               const std::string& client_id) {
  VELKNEE_ASSIGN_OR_RETURN(const v1::Client client, clients.Read(db, {client_id}));
  if (client.state() != v1::Client::STATE_ARCHIVED) return absl::OkStatus();
  return PreconditionFailed(
      "CLIENT_ARCHIVED", "cannot assess",
      {{"STATE", client.name(), absl::StrCat(client.name(), " is archived")}});
}

absl::Status RefuseIfSubmitted(const v1::Assessment& assessment) {
  if (assessment.state() != v1::Assessment::STATE_SUBMITTED) return absl::OkStatus();
  return PreconditionFailed(
      "ASSESSMENT_LOCKED", "cannot change",
      {{"STATE", assessment.name(),
        absl::StrCat(assessment.name(),
                     " is submitted and locked; take a new assessment to reassess")}});
}

// The clinic's calendar date now: birth dates must be before it, onset dates not after it.
absl::CivilDay Today(absl::TimeZone clinic_time_zone) {
  return absl::ToCivilDay(absl::Now(), clinic_time_zone);
}

}  // namespace

std::vector<Migration> IntakeMigrations() {
  return {kAuditMigration, kIdempotencyMigration, kClientsMigration, kAssessmentsMigration,
          kClientSearchKeysMigration};
}

IntakeService::IntakeService(Database* db, AuditQueue* audit, TokenStore* tokens,
                             absl::Duration default_deadline, absl::TimeZone clinic_time_zone)
    : rpc_(std::string(v1::IntakeService::service_full_name()), tokens, audit, default_deadline),
      clinic_time_zone_(clinic_time_zone),
      clients_(db),
      assessments_(db) {}

grpc::Status IntakeService::CreateClient(grpc::ServerContext* context,
                                         const v1::CreateClientRequest* request,
                                         v1::Client* response) {
  return rpc_.Run(context, "CreateClient", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    v1::Client client = request->client();
    VELKNEE_RETURN_IF_ERROR(ValidateClient(client, Today(clinic_time_zone_)));
    client.set_state(v1::Client::STATE_ACTIVE);
    VELKNEE_ASSIGN_OR_RETURN(*response,
                             clients_.Create({}, client,
                                             MakeIdempotencyKey(call.principal().id, call.method(),
                                                                request->request_id(), *request),
                                             call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::GetClient(grpc::ServerContext* context,
                                      const v1::GetClientRequest* request, v1::Client* response) {
  return rpc_.Run(context, "GetClient", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(request->name(), kClientPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, clients_.Get({id}));
    call.RecordRead(response->name());
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::UpdateClient(grpc::ServerContext* context,
                                         const v1::UpdateClientRequest* request,
                                         v1::Client* response) {
  return rpc_.Run(context, "UpdateClient", [&](const Call& call) -> absl::Status {
    const v1::Client& patch = request->client();
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(patch.name(), kClientPattern, "client.name"));
    VELKNEE_RETURN_IF_ERROR(ValidateUpdateMask(request->update_mask(), patch));
    VELKNEE_ASSIGN_OR_RETURN(*response,
                             clients_.Update(
                                 {id}, patch.etag(),
                                 [&](v1::Client& client, SQLite::Database&) {
                                   ApplyUpdateMask(request->update_mask(), patch, &client);
                                   return ValidateClient(client, Today(clinic_time_zone_));
                                 },
                                 call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::ListClients(grpc::ServerContext* context,
                                        const v1::ListClientsRequest* request,
                                        v1::ListClientsResponse* response) {
  return rpc_.Run(context, "ListClients", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    VELKNEE_ASSIGN_OR_RETURN(const PageRequest paging, ReadPageRequest(*request));
    VELKNEE_ASSIGN_OR_RETURN(
        ResourcePage<v1::Client> page,
        clients_.List(ClientQuery{NormalizeQuery(request->query()), request->show_archived()},
                      paging.page_size, paging.after_id));
    for (v1::Client& client : page.items) *response->add_clients() = std::move(client);
    response->set_next_page_token(NextPageToken(paging, page.next_after_id));
    call.RecordRead("clients");
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::ArchiveClient(grpc::ServerContext* context,
                                          const v1::ArchiveClientRequest* request,
                                          v1::Client* response) {
  return rpc_.Run(context, "ArchiveClient", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(request->name(), kClientPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response,
                             clients_.Update(
                                 {id}, request->etag(),
                                 [&](v1::Client& client, SQLite::Database&) -> absl::Status {
                                   if (client.state() == v1::Client::STATE_ARCHIVED) {
                                     return PreconditionFailed(
                                         "CLIENT_ARCHIVED", "cannot archive",
                                         {{"STATE", client.name(),
                                           absl::StrCat(client.name(), " is already archived")}});
                                   }
                                   client.set_state(v1::Client::STATE_ARCHIVED);
                                   return absl::OkStatus();
                                 },
                                 call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::CreateAssessment(grpc::ServerContext* context,
                                             const v1::CreateAssessmentRequest* request,
                                             v1::Assessment* response) {
  return rpc_.Run(context, "CreateAssessment", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string client_id,
                             ParseResourceId(request->parent(), kClientPattern, "parent"));
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    v1::Assessment assessment = request->assessment();
    ClearOutputOnly(&assessment);
    VELKNEE_RETURN_IF_ERROR(ValidateAssessment(assessment, Today(clinic_time_zone_)));
    assessment.set_state(v1::Assessment::STATE_DRAFT);
    assessment.set_therapist(call.principal().therapist);
    StampConsent(assessment, absl::Now());
    VELKNEE_ASSIGN_OR_RETURN(
        *response,
        assessments_.Create(
            {client_id}, assessment,
            MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request),
            call.actor(), [&](SQLite::Database& db, const v1::Assessment&) {
              return CheckClientActive(clients_, db, client_id);
            }));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::GetAssessment(grpc::ServerContext* context,
                                          const v1::GetAssessmentRequest* request,
                                          v1::Assessment* response) {
  return rpc_.Run(context, "GetAssessment", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(request->name(), kAssessmentPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, assessments_.Get(ids));
    call.RecordRead(response->name());
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::UpdateAssessment(grpc::ServerContext* context,
                                             const v1::UpdateAssessmentRequest* request,
                                             v1::Assessment* response) {
  return rpc_.Run(context, "UpdateAssessment", [&](const Call& call) -> absl::Status {
    const v1::Assessment& patch = request->assessment();
    VELKNEE_ASSIGN_OR_RETURN(
        const std::vector<std::string> ids,
        ParseResourceName(patch.name(), kAssessmentPattern, "assessment.name"));
    VELKNEE_RETURN_IF_ERROR(ValidateUpdateMask(request->update_mask(), patch));
    VELKNEE_ASSIGN_OR_RETURN(
        *response,
        assessments_.Update(
            ids, patch.etag(),
            [&](v1::Assessment& assessment, SQLite::Database&) -> absl::Status {
              VELKNEE_RETURN_IF_ERROR(RefuseIfSubmitted(assessment));
              ApplyUpdateMask(request->update_mask(), patch, &assessment);
              VELKNEE_RETURN_IF_ERROR(ValidateAssessment(assessment, Today(clinic_time_zone_)));
              StampConsent(assessment, absl::Now());
              return absl::OkStatus();
            },
            call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::SubmitAssessment(grpc::ServerContext* context,
                                             const v1::SubmitAssessmentRequest* request,
                                             v1::Assessment* response) {
  return rpc_.Run(context, "SubmitAssessment", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(request->name(), kAssessmentPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(
        *response, assessments_.Update(
                       ids, request->etag(),
                       [&](v1::Assessment& assessment, SQLite::Database&) -> absl::Status {
                         VELKNEE_RETURN_IF_ERROR(RefuseIfSubmitted(assessment));
                         VELKNEE_RETURN_IF_ERROR(CheckReadyToSubmit(assessment));
                         const absl::Time now = absl::Now();
                         *assessment.mutable_screening() =
                             ScreenAssessment(assessment, Today(clinic_time_zone_));
                         assessment.set_state(v1::Assessment::STATE_SUBMITTED);
                         *assessment.mutable_submit_time() = ToTimestamp(now);
                         return absl::OkStatus();
                       },
                       call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::ListAssessments(grpc::ServerContext* context,
                                            const v1::ListAssessmentsRequest* request,
                                            v1::ListAssessmentsResponse* response) {
  return rpc_.Run(context, "ListAssessments", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string client_id,
                             ParseResourceId(request->parent(), kClientPattern, "parent"));
    VELKNEE_ASSIGN_OR_RETURN(const PageRequest paging, ReadPageRequest(*request));
    VELKNEE_ASSIGN_OR_RETURN(ResourcePage<v1::Assessment> page,
                             assessments_.List(client_id, {}, paging.page_size, paging.after_id,
                                               [&](SQLite::Database& db) {
                                                 return clients_.Read(db, {client_id}).status();
                                               }));
    for (v1::Assessment& assessment : page.items) {
      *response->add_assessments() = std::move(assessment);
    }
    response->set_next_page_token(NextPageToken(paging, page.next_after_id));
    call.RecordRead(request->parent());
    return absl::OkStatus();
  });
}

}  // namespace velknee::intake
