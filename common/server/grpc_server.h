#ifndef VELKNEE_COMMON_SERVER_GRPC_SERVER_H_
#define VELKNEE_COMMON_SERVER_GRPC_SERVER_H_

// A running gRPC server hosting some of velknee's services on one port, with grpc.health.v1
// (one status per service) and server reflection; optionally a second, plaintext port that
// answers only the health checks, for probes that cannot speak TLS (the kubelet's gRPC probe).
//
// Thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/call_metrics.h"
#include "common/tls/credentials.h"
#include "grpcpp/generic/async_generic_service.h"
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
  // When set, "host:port" of a second port that serves only grpc.health.v1.Health (and
  // reflection of it), in plaintext: it carries no clinical data and takes no token, so it may
  // face a network that the main port would only face with TLS. Port 0 picks a free port.
  std::string health_listen;
  // Larger requests are refused with RESOURCE_EXHAUSTED before any handler runs.
  int max_receive_message_bytes = 1 << 20;
  // When set (not owned; it must outlive the server), counts every call of the main port.
  CallMetrics* call_metrics = nullptr;
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
  // The bound health-only port; 0 when options.health_listen was empty.
  int health_port() const { return health_port_; }

  // A channel to this server that stays inside the process; calls through it pass through the
  // same handlers, authentication included, as calls from the network.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Reports NOT_SERVING (on both ports), stops accepting calls, lets in-flight calls finish for up
  // to `drain`, then cancels what is left. Returns when the server has stopped.
  void Shutdown(absl::Duration drain);

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port,
             std::unique_ptr<grpc::CallbackGenericService> unimplemented,
             std::unique_ptr<grpc::Server> health_server, int health_port);

  const std::unique_ptr<grpc::Server> server_;
  const int port_;
  // The health-only server and its catch-all for other methods (which must outlive it); null
  // without options.health_listen.
  const std::unique_ptr<grpc::CallbackGenericService> unimplemented_;
  const std::unique_ptr<grpc::Server> health_server_;
  const int health_port_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_SERVER_GRPC_SERVER_H_
