#ifndef VELKNEE_COMMON_CLIENT_CHANNEL_H_
#define VELKNEE_COMMON_CLIENT_CHANNEL_H_

// How every velknee caller (the reference clients, and one service calling another) reaches a
// server: a channel with the right transport security, and per call a context that carries
// the bearer token and a deadline. No call is made without a deadline.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_interceptor.h"

namespace velknee {

struct ChannelOptions {
  std::string target = "127.0.0.1:50051";
  // TLS unless the target is loopback and no TLS file is set; `ca_file` empty means the system
  // roots; `cert_file`/`key_file` are the client certificate for servers that require mTLS.
  TlsFiles tls;
  // Plaintext to a non-loopback target; without it such targets always get TLS.
  bool allow_insecure = false;
};

// A channel to `options.target`: plaintext only to a loopback target without TLS files (or
// with allow_insecure), TLS otherwise; `interceptors` see every call on it. A server that was
// down is tried again about every half second (gRPC adds up to 20% jitter), so a restarted
// service is reached again at once rather than after gRPC's default back-off of up to two
// minutes. NOT_FOUND / INVALID_ARGUMENT for unreadable TLS files.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const ChannelOptions& options,
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
        interceptors = {});

// Sets `deadline` and the `authorization: Bearer <token>` metadata on `context`.
void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Time deadline);

}  // namespace velknee

#endif  // VELKNEE_COMMON_CLIENT_CHANNEL_H_
