#ifndef VELKNEE_COMMON_SERVER_RPC_H_
#define VELKNEE_COMMON_SERVER_RPC_H_

// The steps every RPC handler shares, written once: authenticate the bearer token,
// authorize the method for the caller's role (auditing a denial), run the handler's body,
// hand one record to the request log (RequestLog::OfProcess), and convert the result to a
// grpc::Status with details.
//
// A handler reads:
//
//   grpc::Status GetClient(grpc::ServerContext* context, const GetClientRequest* request,
//                          Client* response) override {
//     return rpc_.Run(context, "GetClient", [&](const Call& call) -> absl::Status {
//       ... validate, call the store, fill *response ...
//     });
//   }

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/audit/audit_queue.h"
#include "common/auth/principal.h"
#include "common/auth/token_store.h"
#include "grpcpp/server_context.h"

namespace velknee {

// One authorized call, as the handler's body sees it.
class Call {
 public:
  Call(Principal principal, std::string method, absl::Time deadline, AuditQueue* audit);

  const Principal& principal() const { return principal_; }
  // Full gRPC method name.
  const std::string& method() const { return actor_.method; }
  // When this call must be answered: the caller's deadline, but never later than the server's
  // default call timeout from the call's arrival, which is also the deadline of a call that
  // brought none. The bound keeps a caller from holding a handler, and the peer calls made for
  // it (which propagate this deadline), for longer than the server allows.
  absl::Time deadline() const { return deadline_; }

  // Who makes this call, for the audit event a store appends inside its write transaction
  // (naming the record it wrote).
  const AuditActor& actor() const { return actor_; }

  // Records that the caller read `resource` (a record, or the collection of a list). The
  // event is queued, so the read does not wait for the database writer.
  void RecordRead(absl::string_view resource) const;

 private:
  Principal principal_;
  AuditActor actor_;
  absl::Time deadline_;
  AuditQueue* audit_;
};

// Runs the RPCs of one service. Thread-safe; constant after construction.
class RpcRunner {
 public:
  // `service` is the full proto service name ("velknee.intake.v1.IntakeService"), whose
  // descriptor names the methods Run accepts; denials and reads are audited through `audit`.
  // `default_deadline` is how long a call may take: the deadline of calls that bring none, and the
  // cap on longer deadlines (see Call::deadline).
  RpcRunner(std::string service, TokenStore* tokens, AuditQueue* audit,
            absl::Duration default_deadline);

  // UNAUTHENTICATED without a known bearer token; PERMISSION_DENIED when the caller's role may
  // not call `method` (checked before the body, so a denied caller learns nothing about which
  // resources exist); otherwise whatever `body` returns. INTERNAL when the service has no method
  // `method` (a handler passing the wrong name).
  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   absl::FunctionRef<absl::Status(const Call&)> body) const;

 private:
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;
  void AuditDenial(const Principal* principal, const std::string& method,
                   absl::StatusCode code) const;

  const std::string service_;
  // Each method of the service by its short name ("GetClient"), with its full gRPC name
  // ("/velknee.intake.v1.IntakeService/GetClient"), made once instead of per call.
  const absl::flat_hash_map<std::string, std::string> full_methods_;
  TokenStore* const tokens_;
  AuditQueue* const audit_;
  const absl::Duration default_deadline_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_SERVER_RPC_H_
