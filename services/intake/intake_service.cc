#include "services/intake/intake_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/field_mask.h"
#include "common/api/idempotency.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/audit/audit_log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/validation/fields.h"
#include "services/intake/client_validation.h"

namespace velknee::intake {
namespace {

constexpr absl::string_view kClientPattern = "clients/{client}";
constexpr size_t kMaxQueryChars = 100;

absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

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

}  // namespace

std::vector<Migration> IntakeMigrations() {
  return {kAuditMigration, kIdempotencyMigration, kClientsMigration};
}

IntakeService::IntakeService(Database* db, AuditQueue* audit, TokenStore* tokens,
                             absl::Duration default_deadline)
    : rpc_(std::string(v1::IntakeService::service_full_name()), tokens, audit, default_deadline),
      clients_(db) {}

grpc::Status IntakeService::CreateClient(grpc::ServerContext* context,
                                         const v1::CreateClientRequest* request,
                                         v1::Client* response) {
  return rpc_.Run(context, "CreateClient", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestId(request->request_id()));
    v1::Client client = request->client();
    VELKNEE_RETURN_IF_ERROR(ValidateClient(client, Today()));
    VELKNEE_ASSIGN_OR_RETURN(
        *response, clients_.Create(client,
                                   MakeIdempotencyKey(call.principal().id, call.method(),
                                                      request->request_id(), *request),
                                   call.AuditSuccess("")));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::GetClient(grpc::ServerContext* context,
                                      const v1::GetClientRequest* request,
                                      v1::Client* response) {
  return rpc_.Run(context, "GetClient", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(request->name(), kClientPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, clients_.Get(id));
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
    VELKNEE_ASSIGN_OR_RETURN(
        *response, clients_.Update(
                       id, patch.etag(),
                       [&](v1::Client& client) {
                         ApplyUpdateMask(request->update_mask(), patch, &client);
                         return ValidateClient(client, Today());
                       },
                       call.AuditSuccess("")));
    return absl::OkStatus();
  });
}

grpc::Status IntakeService::ListClients(grpc::ServerContext* context,
                                        const v1::ListClientsRequest* request,
                                        v1::ListClientsResponse* response) {
  return rpc_.Run(context, "ListClients", [&](const Call& call) -> absl::Status {
    FieldViolations violations;
    CheckText(request->query(), "query", 0, kMaxQueryChars, false, violations);
    VELKNEE_RETURN_IF_ERROR(violations.ToStatus());
    VELKNEE_ASSIGN_OR_RETURN(const int page_size, ResolvePageSize(request->page_size()));
    const std::string fingerprint = QueryFingerprint(*request);
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> after,
                             DecodePageToken(request->page_token(), fingerprint));
    if (after.size() > 1) return InvalidField("page_token", "is not a token for this list");
    VELKNEE_ASSIGN_OR_RETURN(
        ClientPage page,
        clients_.List(ClientQuery{NormalizeQuery(request->query()), request->show_archived()},
                      page_size, after.empty() ? "" : after.front()));
    for (v1::Client& client : page.clients) *response->add_clients() = std::move(client);
    if (!page.next_after_id.empty()) {
      response->set_next_page_token(EncodePageToken(fingerprint, {page.next_after_id}));
    }
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
    VELKNEE_ASSIGN_OR_RETURN(
        *response, clients_.Update(
                       id, request->etag(),
                       [&](v1::Client& client) -> absl::Status {
                         if (client.state() == v1::Client::STATE_ARCHIVED) {
                           return PreconditionFailed(
                               "CLIENT_ARCHIVED", "cannot archive",
                               {{"STATE", client.name(),
                                 absl::StrCat(client.name(), " is already archived")}});
                         }
                         client.set_state(v1::Client::STATE_ARCHIVED);
                         return absl::OkStatus();
                       },
                       call.AuditSuccess("")));
    return absl::OkStatus();
  });
}

}  // namespace velknee::intake
