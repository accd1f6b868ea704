#include "tests/clients/loopback_server.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace velknee::cli {

LoopbackServer::LoopbackServer(grpc::Service& service, const std::string& token) {
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  server_ = builder.BuildAndStart();
  absl::SetFlag(&FLAGS_target, absl::StrCat("127.0.0.1:", port));
  absl::SetFlag(&FLAGS_timeout, absl::Seconds(5));
  setenv("VELKNEE_TOKEN", token.c_str(), 1);
}

LoopbackServer::~LoopbackServer() {
  if (server_ != nullptr) server_->Shutdown();
  unsetenv("VELKNEE_TOKEN");
}

}  // namespace velknee::cli
