#include "common/server/grpc_server.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace velknee {
namespace {

// Keeps server reflection (which every ServerBuilder gets once the plugin is initialised) off
// the health-only port: that port answers health checks and nothing else.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
      return dynamic_cast<grpc::reflection::ProtoServerReflectionPlugin*>(plugin.get()) != nullptr;
    });
  }
};

}  // namespace

absl::Status CheckTransportSecurity(const ServerOptions& options) {
  const bool tls = !options.tls.cert_file.empty() || !options.tls.key_file.empty();
  if (tls || options.allow_insecure || IsLoopbackAddress(options.listen)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to serve without TLS on ", options.listen,
      ", which is not a loopback address: set --tls_cert_file and --tls_key_file, or pass "
      "--allow_insecure if traffic is protected some other way"));
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services,
    const std::vector<std::string>& health_names) {
  VELKNEE_RETURN_IF_ERROR(CheckTransportSecurity(options));
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls.cert_file.empty() || !options.tls.key_file.empty()) {
    VELKNEE_ASSIGN_OR_RETURN(credentials, ServerTlsCredentials(options.tls));
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, credentials, &port);
  // A port another process serves is an error, not a port to share: SO_REUSEPORT would have two
  // servers answer calls in turn.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  for (grpc::Service* service : services) builder.RegisterService(service);
  if (options.call_metrics != nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> counters;
    counters.push_back(options.call_metrics->NewInterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(counters));
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not available)"));
  }
  std::unique_ptr<grpc::CallbackGenericService> unimplemented;
  std::unique_ptr<grpc::Server> health_server;
  int health_port = 0;
  if (!options.health_listen.empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.AddListeningPort(options.health_listen, grpc::InsecureServerCredentials(),
                                    &health_port);
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.SetOption(std::make_unique<WithoutReflection>());
    // Answers every other method UNIMPLEMENTED; gRPC also needs one service besides health,
    // which it only adds once the server starts, before it builds a server.
    unimplemented = std::make_unique<grpc::CallbackGenericService>();
    health_builder.RegisterCallbackGenericService(unimplemented.get());
    // A health check is one small unary call; a few at a time is plenty for any prober.
    health_builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 4);
    health_builder.SetMaxReceiveMessageSize(4096);
    health_server = health_builder.BuildAndStart();
    if (health_server == nullptr || health_port == 0) {
      server->Shutdown();
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options.health_listen,
                                                 " (--health_listen: address in use or not "
                                                 "available)"));
    }
  }
  for (grpc::Server* each : {server.get(), health_server.get()}) {
    if (each == nullptr) continue;
    grpc::HealthCheckServiceInterface* health = each->GetHealthCheckService();
    for (const std::string& name : health_names) health->SetServingStatus(name, true);
  }
  return std::unique_ptr<GrpcServer>(new GrpcServer(
      std::move(server), port, std::move(unimplemented), std::move(health_server), health_port));
}

GrpcServer::GrpcServer(std::unique_ptr<grpc::Server> server, int port,
                       std::unique_ptr<grpc::CallbackGenericService> unimplemented,
                       std::unique_ptr<grpc::Server> health_server, int health_port)
    : server_(std::move(server)),
      port_(port),
      unimplemented_(std::move(unimplemented)),
      health_server_(std::move(health_server)),
      health_port_(health_port) {}

GrpcServer::~GrpcServer() { Shutdown(absl::ZeroDuration()); }

std::shared_ptr<grpc::Channel> GrpcServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void GrpcServer::Shutdown(absl::Duration drain) {
  if (health_server_ != nullptr) health_server_->GetHealthCheckService()->Shutdown();
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + drain));
  server_->Wait();
  if (health_server_ != nullptr) {
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_->Wait();
  }
}

}  // namespace velknee
