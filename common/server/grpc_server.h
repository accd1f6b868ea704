#ifndef VELKNEE_COMMON_SERVER_GRPC_SERVER_H_
#define VELKNEE_COMMON_SERVER_GRPC_SERVER_H_

// A running gRPC server hosting some of velknee's services on one port, with grpc.health.v1
// (one status per service) and server reflection.
//
// Thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "grpcpp/server.h"

namespace velknee {

struct ServerOptions {
  // "host:port"; port 0 picks a free port (see GrpcServer::port).
  std::string listen = "127.0.0.1:50051";
  // TLS when cert_file and key_file are set; mTLS when ca_file is set too.
  TlsFiles tls;
  // Allows plaintext on a non-loopback address. Off by default: clinical data never crosses a
  // network unencrypted unless an operator says so explicitly.
  bool allow_insecure = false;
  // Larger requests are refused with RESOURCE_EXHAUSTED before any handler runs.
  int max_receive_message_bytes = 1 << 20;
};

// FAILED_PRECONDITION when `options` would serve plaintext on a non-loopback address without
// allow_insecure.
absl::Status CheckTransportSecurity(const ServerOptions& options);

class GrpcServer {
 public:
  // Starts serving `services` (not owned; they must outlive the server). `health_names` are
  // the full service names reported SERVING by the health service.
  // FAILED_PRECONDITION per CheckTransportSecurity; UNAVAILABLE when the port cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services,
      const std::vector<std::string>& health_names);

  ~GrpcServer();

  // The bound port (the chosen one when options.listen asked for port 0).
  int port() const { return port_; }

  // A channel to this server that stays inside the process; calls through it pass through the
  // same handlers, authentication included, as calls from the network.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Reports NOT_SERVING, stops accepting calls, lets in-flight calls finish for up to `drain`,
  // then cancels what is left. Returns when the server has stopped.
  void Shutdown(absl::Duration drain);

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port);

  const std::unique_ptr<grpc::Server> server_;
  const int port_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_SERVER_GRPC_SERVER_H_
