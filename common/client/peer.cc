#include "common/client/peer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace velknee {

Peer::Peer(std::string name, std::string service_token, Histogram* call_seconds)
    : name_(std::move(name)),
      service_token_(std::move(service_token)),
      call_seconds_(call_seconds) {}

void Peer::ObserveCallTime(std::chrono::steady_clock::time_point start) const {
  if (call_seconds_ == nullptr) return;
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  call_seconds_->Observe(elapsed.count());
}

void Peer::Connect(std::shared_ptr<grpc::Channel> channel) {
  absl::MutexLock lock(&mu_);
  channel_ = std::move(channel);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Peer::channel() const {
  absl::MutexLock lock(&mu_);
  if (channel_ == nullptr) {
    return WithReason(absl::UnavailableError(absl::StrCat(name_, " is not connected yet")),
                      "PEER_UNAVAILABLE");
  }
  return channel_;
}

void Peer::PrepareContext(grpc::ClientContext& context, absl::Time deadline) const {
  // Stop waiting for the peer a little before the served call's own deadline: with the same
  // deadline, the end caller's deadline fires at the moment this service learns the peer is
  // slow, and the caller sees a bare "Deadline Exceeded" instead of the peer named (DESIGN §2).
  const absl::Duration left = deadline - absl::Now();
  const absl::Duration margin = std::min(kAnswerMargin, left / 10);
  velknee::PrepareContext(context, service_token_,
                          margin > absl::ZeroDuration() ? deadline - margin : deadline);
}

absl::Status Peer::Result(const grpc::Status& status) const {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return WithReason(
          absl::UnavailableError(absl::StrCat(name_, " is unavailable: ", status.error_message())),
          "PEER_UNAVAILABLE");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return WithReason(
          absl::DeadlineExceededError(absl::StrCat(name_, " did not answer before the deadline")),
          "PEER_DEADLINE_EXCEEDED");
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      // The end caller's own credentials are fine; this process's SERVICE token is not.
      return WithReason(
          absl::InternalError(absl::StrCat(name_,
                                           " refused this service's credentials (check "
                                           "--service_token_file and the SERVICE token's role): ",
                                           status.error_message())),
          "PEER_REFUSED_CREDENTIALS");
    default:
      return FromGrpcStatus(status);
  }
}

}  // namespace velknee
