#ifndef VELKNEE_SERVICES_SERVER_PEERS_H_
#define VELKNEE_SERVICES_SERVER_PEERS_H_

// The other services that this process's services call (DESIGN §2). A peer named by a
// --<service>_target flag is reached over the network; an unset flag means "in this process",
// reached through the server's in-process channel, so both deployments run the same code.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/client/channel.h"
#include "common/client/peer.h"
#include "services/server/server_metrics.h"
#include "services/server/service_set.h"

namespace velknee::server {

struct PeerOptions {
  std::string intake_target;
  std::string plans_target;
  std::string scheduling_target;
  // Transport to remote peers (same rules as the reference clients: TLS unless loopback).
  TlsFiles tls;
  bool allow_insecure = false;
};

class PeerSet {
 public:
  // One Peer for every service a hosted service calls, presenting `service_token`. Remote
  // peers are connected now (lazily: a peer that is down fails the calls that need it, not the
  // start). Calls are timed into `metrics` when it is set. INVALID_ARGUMENT naming the flag
  // when a needed service is neither hosted here nor given a target.
  static absl::StatusOr<std::unique_ptr<PeerSet>> Create(
      const std::vector<const ServiceKind*>& hosted, const PeerOptions& options,
      const std::string& service_token, ServerMetrics* metrics = nullptr);

  // Connects the peers hosted in this process, once its server runs.
  void ConnectInProcess(const std::shared_ptr<grpc::Channel>& channel);

  // The peer for service `name` ("intake"), or null when no hosted service calls it.
  Peer* Find(absl::string_view name) const;

 private:
  struct Entry {
    std::string service;
    bool in_process;
    std::unique_ptr<Peer> peer;
  };
  std::vector<Entry> entries_;
};

}  // namespace velknee::server

#endif  // VELKNEE_SERVICES_SERVER_PEERS_H_
