#ifndef VELKNEE_TESTS_CLIENTS_LOOPBACK_SERVER_H_
#define VELKNEE_TESTS_CLIENTS_LOOPBACK_SERVER_H_

// A fake service on a free loopback port with the client flags pointed at
// it, so a command runs against it as against a real server. Keep an
// absl::FlagSaver alive longer than this object: it sets --target and
// --timeout.

#include <memory>
#include <string>

#include "grpcpp/server.h"

namespace velknee::cli {

class LoopbackServer {
 public:
  // Serves `service` (which must outlive this object) on 127.0.0.1, and sets
  // --target to it, --timeout to 5 s and VELKNEE_TOKEN to `token`.
  LoopbackServer(grpc::Service& service, const std::string& token);
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  // Shuts the server down and unsets VELKNEE_TOKEN.
  ~LoopbackServer();

  // False when the server could not start; the test cannot go on then.
  bool started() const { return server_ != nullptr; }

 private:
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace velknee::cli

#endif  // VELKNEE_TESTS_CLIENTS_LOOPBACK_SERVER_H_
