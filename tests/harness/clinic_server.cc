#include "tests/harness/clinic_server.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "gtest/gtest.h"

namespace velknee::test {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value, absl::string_view what) {
  if (!value.ok()) {
    ADD_FAILURE() << what << ": " << value.status();
    std::abort();
  }
  return *std::move(value);
}

}  // namespace

ClinicServer::ClinicServer(const std::string& services, const server::PeerOptions& peer_options,
                           absl::TimeZone clinic_time_zone, const ClinicServer* tokens_of) {
  if (tokens_of != nullptr) {
    tokens_dir_ = tokens_of->tokens_dir_;
    tokens_file_ = tokens_of->tokens_file_;
    tokens_ = tokens_of->tokens_;
    principal_ids_ = tokens_of->principal_ids_;
  } else {
    tokens_dir_ = std::make_shared<const TempDir>();
    tokens_file_ = tokens_dir_->File("tokens");
    const std::map<Role, Principal> principals = {
        {Role::kTherapist, {"ana", Role::kTherapist, "therapists/ana"}},
        {Role::kFrontDesk, {"desk-1", Role::kFrontDesk, ""}},
        {Role::kService, {"services", Role::kService, ""}},
        {Role::kAdmin, {"admin", Role::kAdmin, ""}},
    };
    for (const auto& [role, principal] : principals) {
      tokens_[role] = OrDie(AddToken(tokens_file_, principal), "add token");
      principal_ids_[role] = principal.id;
    }
  }
  token_store_ = OrDie(TokenStore::Open(tokens_file_), "open tokens");
  const server::HostOptions options{dir_.path(), /*synchronous_full=*/true, absl::Seconds(30),
                                    clinic_time_zone};
  const std::vector<const server::ServiceKind*> kinds =
      OrDie(server::ParseServiceList(services), "services");
  peers_ = OrDie(server::PeerSet::Create(kinds, peer_options, tokens_.at(Role::kService)), "peers");
  hosted_ =
      OrDie(server::HostServices(kinds, options, token_store_.get(), *peers_), "host services");
  ServerOptions server_options;
  server_options.listen = "127.0.0.1:0";
  server_ = OrDie(GrpcServer::Start(server_options, server::GrpcServices(hosted_),
                                    server::HealthNames(hosted_)),
                  "start server");
  peers_->ConnectInProcess(server_->InProcessChannel());
  ChannelOptions channel_options;
  channel_options.target = absl::StrCat("127.0.0.1:", server_->port());
  channel_ = OrDie(MakeChannel(channel_options), "channel");
}

ClinicServer::~ClinicServer() { server_->Shutdown(absl::Seconds(1)); }

void ClinicServer::Prepare(grpc::ClientContext& context, Role role) const {
  PrepareContext(context, token(role), absl::Now() + absl::Seconds(10));
}

Database& ClinicServer::database(const std::string& name) const {
  for (const server::HostedService& entry : hosted_) {
    if (entry.kind->name == name) {
      entry.audit->Flush();
      return *entry.db;
    }
  }
  ADD_FAILURE() << "no database for service " << name;
  std::abort();
}

}  // namespace velknee::test
