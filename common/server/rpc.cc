#include "common/server/rpc.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/access_policy.h"
#include "common/server/request_log.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/descriptor.h"

namespace velknee {
namespace {

constexpr absl::string_view kBearerPrefix = "Bearer ";

// The full gRPC name of every method of proto service `service`, by short name.
absl::flat_hash_map<std::string, std::string> FullMethodNames(const std::string& service) {
  absl::flat_hash_map<std::string, std::string> names;
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  if (descriptor == nullptr) return names;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    const std::string& method = descriptor->method(i)->name();
    names.emplace(method, absl::StrCat("/", service, "/", method));
  }
  return names;
}

// One request-log record: only the method, the caller's id, the code, the latency and the
// peer, never request content (clinical data) or tokens.
void LogRequest(const grpc::ServerContext& context, absl::Time start, const std::string& method,
                const std::string& principal, absl::StatusCode code) {
  RequestLog::OfProcess().Record(
      RequestRecord{start, absl::Now() - start, method, principal, code, context.peer()});
}

// Who `principal` is in the audit trail, calling `method`; a caller without a valid token
// (nullptr) is nobody.
AuditActor ActorOf(const Principal* principal, std::string method) {
  if (principal == nullptr) return AuditActor{"", "", std::move(method)};
  return AuditActor{principal->id, std::string(RoleName(principal->role)), std::move(method)};
}

}  // namespace

Call::Call(Principal principal, std::string method, absl::Time deadline, AuditQueue* audit)
    : principal_(std::move(principal)),
      actor_(ActorOf(&principal_, std::move(method))),
      deadline_(deadline),
      audit_(audit) {}

void Call::RecordRead(absl::string_view resource) const {
  audit_->Add(AuditEvent{absl::Now(), actor_, std::string(resource), absl::StatusCode::kOk});
}

RpcRunner::RpcRunner(std::string service, TokenStore* tokens, AuditQueue* audit,
                     absl::Duration default_deadline)
    : service_(std::move(service)),
      full_methods_(FullMethodNames(service_)),
      tokens_(tokens),
      audit_(audit),
      default_deadline_(default_deadline) {}

absl::StatusOr<Principal> RpcRunner::Authenticate(const grpc::ServerContext& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return WithReason(
        absl::UnauthenticatedError("missing `authorization: Bearer <token>` metadata"),
        "TOKEN_MISSING");
  }
  const absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWith(value, kBearerPrefix)) {
    return WithReason(
        absl::UnauthenticatedError("the authorization metadata must be `Bearer <token>`"),
        "TOKEN_MISSING");
  }
  return tokens_->Authenticate(value.substr(kBearerPrefix.size()));
}

void RpcRunner::AuditDenial(const Principal* principal, const std::string& method,
                            absl::StatusCode code) const {
  audit_->Add(AuditEvent{absl::Now(), ActorOf(principal, method), "", code});
}

grpc::Status RpcRunner::Run(grpc::ServerContext* context, absl::string_view method,
                            absl::FunctionRef<absl::Status(const Call&)> body) const {
  const absl::Time start = absl::Now();
  const auto full_method = full_methods_.find(method);
  if (full_method == full_methods_.end()) {
    return ToGrpcStatus(
        absl::InternalError(absl::StrCat("the server has no method ", method, " in ", service_)));
  }
  const std::string& method_name = full_method->second;
  absl::StatusOr<Principal> principal = Authenticate(*context);
  if (!principal.ok()) {
    AuditDenial(nullptr, method_name, principal.status().code());
    LogRequest(*context, start, method_name, "", principal.status().code());
    return ToGrpcStatus(principal.status());
  }
  if (absl::Status allowed = CheckAccess(principal->role, method_name); !allowed.ok()) {
    AuditDenial(&*principal, method_name, allowed.code());
    LogRequest(*context, start, method_name, principal->id, allowed.code());
    return ToGrpcStatus(allowed);
  }
  const auto raw_deadline = context->deadline();
  const absl::Time caller_deadline = raw_deadline == std::chrono::system_clock::time_point::max()
                                         ? absl::InfiniteFuture()
                                         : absl::FromChrono(raw_deadline);
  // Bounded by the server's default: see Call::deadline.
  const Call call(*std::move(principal), method_name,
                  std::min(caller_deadline, start + default_deadline_), audit_);
  absl::Status status = body(call);
  // A handler's own refusals (e.g. signing another therapist's note) are denials too.
  if (status.code() == absl::StatusCode::kPermissionDenied) {
    AuditDenial(&call.principal(), method_name, status.code());
  }
  LogRequest(*context, start, method_name, call.principal().id, status.code());
  return ToGrpcStatus(status);
}

}  // namespace velknee
