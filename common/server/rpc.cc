#include "common/server/rpc.h"

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth/access_policy.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace velknee {
namespace {

constexpr absl::string_view kBearerPrefix = "Bearer ";

// One line per call on stderr. Only the method, the caller's id, the code and the latency:
// never request content (clinical data) or tokens.
void LogRequest(absl::Time start, const std::string& method, absl::string_view principal,
                absl::StatusCode code) {
  absl::FPrintF(stderr, "%s rpc=%s principal=%s code=%s latency_ms=%.2f\n",
                absl::FormatTime("%Y-%m-%d%ET%H:%M:%E3SZ", start, absl::UTCTimeZone()), method,
                principal.empty() ? "-" : principal, absl::StatusCodeToString(code),
                absl::ToDoubleMilliseconds(absl::Now() - start));
}

// Who `principal` is in the audit trail, calling `method`; a caller without a valid token
// (nullptr) is nobody.
AuditActor ActorOf(const Principal* principal, std::string method) {
  if (principal == nullptr) return AuditActor{"", "", std::move(method)};
  return AuditActor{principal->id, std::string(RoleName(principal->role)), std::move(method)};
}

}  // namespace

Call::Call(const Principal& principal, std::string method, absl::Time deadline, AuditQueue* audit)
    : principal_(principal),
      actor_(ActorOf(&principal, std::move(method))),
      deadline_(deadline),
      audit_(audit) {}

void Call::RecordRead(absl::string_view resource) const {
  audit_->Add(AuditEvent{absl::Now(), actor_, std::string(resource), absl::StatusCode::kOk});
}

RpcRunner::RpcRunner(std::string service, TokenStore* tokens, AuditQueue* audit,
                     absl::Duration default_deadline)
    : service_(std::move(service)),
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
  const std::string full_method = absl::StrCat("/", service_, "/", method);
  absl::StatusOr<Principal> principal = Authenticate(*context);
  if (!principal.ok()) {
    AuditDenial(nullptr, full_method, principal.status().code());
    LogRequest(start, full_method, "", principal.status().code());
    return ToGrpcStatus(principal.status());
  }
  if (absl::Status allowed = CheckAccess(principal->role, full_method); !allowed.ok()) {
    AuditDenial(&*principal, full_method, allowed.code());
    LogRequest(start, full_method, principal->id, allowed.code());
    return ToGrpcStatus(allowed);
  }
  const auto raw_deadline = context->deadline();
  const absl::Time caller_deadline = raw_deadline == std::chrono::system_clock::time_point::max()
                                         ? absl::InfiniteFuture()
                                         : absl::FromChrono(raw_deadline);
  // Bounded by the server's default: see Call::deadline.
  const Call call(*principal, full_method, std::min(caller_deadline, start + default_deadline_),
                  audit_);
  absl::Status status = body(call);
  // A handler's own refusals (e.g. signing another therapist's note) are denials too.
  if (status.code() == absl::StatusCode::kPermissionDenied) {
    AuditDenial(&*principal, full_method, status.code());
  }
  LogRequest(start, full_method, principal->id, status.code());
  return ToGrpcStatus(status);
}

}  // namespace velknee
