#ifndef VELKNEE_COMMON_CLIENT_CHANNEL_H_
#define VELKNEE_COMMON_CLIENT_CHANNEL_H_

// How every velknee caller (the reference clients, and one service calling another) reaches a
// server: a channel with the right transport security, and per call a context that carries
// the bearer token and a deadline. No call is made without a deadline.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"

namespace velknee {

struct ChannelOptions {
  std::string target = "127.0.0.1:50051";
  // TLS unless the target is loopback and no TLS file is set; `ca_file` empty means the system
  // roots; `cert_file`/`key_file` are the client certificate for servers that require mTLS.
  TlsFiles tls;
  // Plaintext to a non-loopback target; without it such targets always get TLS.
  bool allow_insecure = false;
};

// The transport security for `options.target`: plaintext only to a loopback target without TLS
// files (or with allow_insecure), TLS otherwise. NOT_FOUND / INVALID_ARGUMENT for unreadable TLS
// files.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ChannelOptions& options);

// A channel to `options.target` with MakeChannelCredentials(options).
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ChannelOptions& options);

// Sets `deadline` and the `authorization: Bearer <token>` metadata on `context`.
void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Time deadline);

}  // namespace velknee

#endif  // VELKNEE_COMMON_CLIENT_CHANNEL_H_
