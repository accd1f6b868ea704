#include "services/server/peers.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace velknee::server {
namespace {

const std::string& TargetFlag(const PeerOptions& options, absl::string_view service) {
  if (service == "intake") return options.intake_target;
  if (service == "plans") return options.plans_target;
  return options.scheduling_target;
}

bool IsHosted(const std::vector<const ServiceKind*>& hosted, absl::string_view service) {
  for (const ServiceKind* kind : hosted) {
    if (kind->name == service) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PeerSet>> PeerSet::Create(
    const std::vector<const ServiceKind*>& hosted, const PeerOptions& options,
    const std::string& service_token, ServerMetrics* metrics) {
  auto peers = std::make_unique<PeerSet>();
  for (const ServiceKind* kind : hosted) {
    for (absl::string_view callee : kind->calls) {
      if (callee.empty() || peers->Find(callee) != nullptr) continue;
      const std::string& target = TargetFlag(options, callee);
      const bool in_process = target.empty();
      if (in_process && !IsHosted(hosted, callee)) {
        return InvalidField(absl::StrCat(callee, "_target"),
                            absl::StrCat("is required: ", kind->name, " calls the ", callee,
                                         " service, which this process does not host"));
      }
      auto peer =
          std::make_unique<Peer>(absl::StrCat(callee, " service"), service_token,
                                 metrics == nullptr ? nullptr : metrics->PeerCallSeconds(callee));
      if (!in_process) {
        ChannelOptions channel_options{target, options.tls, options.allow_insecure};
        VELKNEE_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                                 MakeChannel(channel_options));
        peer->Connect(std::move(channel));
      }
      peers->entries_.push_back(Entry{std::string(callee), in_process, std::move(peer)});
    }
  }
  return peers;
}

void PeerSet::ConnectInProcess(const std::shared_ptr<grpc::Channel>& channel) {
  for (Entry& entry : entries_) {
    if (entry.in_process) entry.peer->Connect(channel);
  }
}

Peer* PeerSet::Find(absl::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.service == name) return entry.peer.get();
  }
  return nullptr;
}

}  // namespace velknee::server
