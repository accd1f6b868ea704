#include "services/server/server_metrics.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "common/metrics/process_metrics.h"

namespace velknee::server {
namespace {

// Writes per commit: 1 without group commit, up to the calls in flight with it.
constexpr std::array<double, 9> kBatchSizeBuckets = {1, 2, 4, 8, 16, 32, 64, 128, 256};

}  // namespace

ServerMetrics::ServerMetrics(const std::vector<std::string>& services)
    : calls_(registry_, services),
      commit_seconds_(registry_.AddHistogram(
          "velknee_db_commit_seconds",
          "Time one COMMIT of a service's database took (its fsync with synchronous=FULL).",
          {"service"}, LatencySecondsBuckets())),
      commit_batch_size_(registry_.AddHistogram(
          "velknee_db_commit_batch_size",
          "Writes (requests' transactions, audit batches) made durable by one COMMIT.", {"service"},
          kBatchSizeBuckets)),
      audit_queue_depth_(registry_.AddCallback(
          "velknee_audit_queue_depth",
          "Audit events (reads, denials) queued and not yet written to the database.",
          CallbackFamily::Kind::kGauge, {"service"})),
      peer_call_seconds_(registry_.AddHistogram(
          "velknee_peer_call_seconds",
          "Time calls to another velknee service took, whatever their outcome.", {"peer"},
          LatencySecondsBuckets())) {
  AddProcessMetrics(registry_);
}

std::function<void(absl::Duration, int)> ServerMetrics::CommitObserver(absl::string_view service) {
  Histogram* seconds = &commit_seconds_.WithLabels({std::string(service)});
  Histogram* batch_size = &commit_batch_size_.WithLabels({std::string(service)});
  return [seconds, batch_size](absl::Duration commit_time, int writes) {
    seconds->Observe(absl::ToDoubleSeconds(commit_time));
    batch_size->Observe(writes);
  };
}

void ServerMetrics::WatchAuditQueue(absl::string_view service, AuditQueue* queue) {
  audit_queue_depth_.Add({std::string(service)},
                         [queue] { return static_cast<double>(queue->depth()); });
}

Histogram* ServerMetrics::PeerCallSeconds(absl::string_view peer) {
  return &peer_call_seconds_.WithLabels({std::string(peer)});
}

absl::Status CheckMetricsListen(const std::string& listen) {
  if (absl::Status valid = CheckListenAddress(listen); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--metrics_listen: ", valid.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<HttpServer>> ServeMetrics(const std::string& listen,
                                                         const ServerMetrics& metrics) {
  absl::flat_hash_map<std::string, HttpServer::GetHandler> handlers;
  handlers["/metrics"] = [&metrics] {
    return HttpResponse{200, std::string(kTextExpositionContentType), metrics.TextExposition()};
  };
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(HttpServerOptions{listen}, std::move(handlers));
  if (!server.ok()) {
    return absl::Status(server.status().code(),
                        absl::StrCat("--metrics_listen: ", server.status().message()));
  }
  return server;
}

}  // namespace velknee::server
