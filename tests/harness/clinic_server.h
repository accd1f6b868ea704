#ifndef VELKNEE_TESTS_HARNESS_CLINIC_SERVER_H_
#define VELKNEE_TESTS_HARNESS_CLINIC_SERVER_H_

// A real velknee server inside the test process: the services velknee-server would host,
// on 127.0.0.1 with a free port, over a fresh data directory, with one token per role. Tests
// talk to it through generated stubs, so every call crosses gRPC, auth and the database.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/server/grpc_server.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "services/server/peers.h"
#include "services/server/service_set.h"
#include "tests/support/loopback_port.h"
#include "tests/support/temp_dir.h"

namespace velknee::test {

class ClinicServer {
 public:
  // Starts the services named in `services` ("intake", or "intake,plans,..."); peers not
  // hosted here are reached at the targets of `peer_options`. The clinic's time zone
  // (--clinic_time_zone) is `clinic_time_zone`.
  // With `tokens_of`, the server accepts that server's tokens (shares its tokens file) instead
  // of issuing its own, as velknee-server processes sharing --tokens_file do, so each can be
  // the other's peer. The tokens file lives until every server sharing it is gone, so one
  // server outlives another without its tokens file vanishing under it.
  explicit ClinicServer(const std::string& services = "intake",
                        const server::PeerOptions& peer_options = {},
                        absl::TimeZone clinic_time_zone = absl::UTCTimeZone(),
                        const ClinicServer* tokens_of = nullptr);
  ~ClinicServer();

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  int port() const { return server_->port(); }

  // A token of `role`; the therapist token acts as therapists/ana.
  const std::string& token(Role role) const { return tokens_.at(role); }

  // The principal id of the token of `role`, as the audit log records it ("ana", "desk-1",
  // "services", "admin").
  const std::string& principal_id(Role role) const { return principal_ids_.at(role); }

  // Prepares `context` for a call as `role` with a 10 s deadline.
  void Prepare(grpc::ClientContext& context, Role role) const;

  // The database of hosted service `name` ("intake"), after writing its queued audit events.
  Database& database(const std::string& name) const;

  const std::string& data_dir() const { return dir_.path(); }
  const std::string& tokens_file() const { return tokens_file_; }

 private:
  TempDir dir_;
  std::shared_ptr<const TempDir> tokens_dir_;  // shared with the servers sharing its tokens
  std::string tokens_file_;
  std::map<Role, std::string> tokens_;
  std::map<Role, std::string> principal_ids_;
  std::unique_ptr<TokenStore> token_store_;
  std::unique_ptr<server::PeerSet> peers_;
  std::vector<server::HostedService> hosted_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Every role, for tests that walk the access table.
inline constexpr Role kAllRoles[] = {Role::kTherapist, Role::kFrontDesk, Role::kService,
                                     Role::kAdmin};

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_HARNESS_CLINIC_SERVER_H_
