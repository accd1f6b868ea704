#ifndef VELKNEE_COMMON_CLIENT_PEER_H_
#define VELKNEE_COMMON_CLIENT_PEER_H_

// Another velknee service, as a service that depends on it sees it (DESIGN §2): reached only
// through its gRPC contract, with the SERVICE token and the deadline of the call being served,
// whether it runs in another process or in this one (an in-process channel).
//
// Thread-safe.

#include <chrono>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace velknee {

class Peer {
 public:
  // `name` is what errors call the peer ("intake service"). When `call_seconds` is set (not
  // owned; it must outlive the peer), every call made through Call is timed into it, whatever
  // its outcome.
  Peer(std::string name, std::string service_token, Histogram* call_seconds = nullptr);

  // Sets the channel. Until then calls fail with UNAVAILABLE: an in-process peer's channel
  // exists only once the server is running.
  void Connect(std::shared_ptr<grpc::Channel> channel) ABSL_LOCKS_EXCLUDED(mu_);

  // The channel for a stub, or UNAVAILABLE naming the peer when not connected yet.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel() const ABSL_LOCKS_EXCLUDED(mu_);

  // Prepares `context` for a call made while serving a call with `deadline`. The peer gets a
  // tenth of the time left less (at most kAnswerMargin), so that when it is slow this service
  // still has time to answer DEADLINE_EXCEEDED naming it before the caller's deadline fires.
  void PrepareContext(grpc::ClientContext& context, absl::Time deadline) const;

  static constexpr absl::Duration kAnswerMargin = absl::Seconds(1);

  // The peer's answer as a status: codes and details kept; UNAVAILABLE and DEADLINE_EXCEEDED
  // name the peer so the caller's caller knows which service failed; the peer refusing this
  // process's SERVICE token (UNAUTHENTICATED, PERMISSION_DENIED) becomes INTERNAL naming the
  // peer, since it is a deployment fault, not the end caller's.
  absl::Status Result(const grpc::Status& status) const;

  // Calls `method` of the peer's generated `Stub` with `request` within `deadline`, with the
  // SERVICE token; the answer or the error as Result says, e.g.
  //   peer.Call(deadline, &IntakeService::Stub::GetAssessment, request).
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(absl::Time deadline,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request) const {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> connected = channel();
    if (!connected.ok()) return connected.status();
    Stub stub(*connected);
    grpc::ClientContext context;
    PrepareContext(context, deadline);
    Response response;
    const auto start = std::chrono::steady_clock::now();
    const grpc::Status answer = (stub.*method)(&context, request, &response);
    ObserveCallTime(start);
    if (absl::Status status = Result(answer); !status.ok()) return status;
    return response;
  }

  const std::string& name() const { return name_; }

 private:
  void ObserveCallTime(std::chrono::steady_clock::time_point start) const;

  const std::string name_;
  const std::string service_token_;
  Histogram* const call_seconds_;

  mutable absl::Mutex mu_;
  std::shared_ptr<grpc::Channel> channel_ ABSL_GUARDED_BY(mu_);
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_CLIENT_PEER_H_
