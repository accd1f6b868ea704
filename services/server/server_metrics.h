#ifndef VELKNEE_SERVICES_SERVER_SERVER_METRICS_H_
#define VELKNEE_SERVICES_SERVER_SERVER_METRICS_H_

// What velknee-server reports to Prometheus on --metrics_listen (DESIGN §10; each metric is
// explained in docs/operations.md): the go-grpc-prometheus call metrics, the databases'
// commits, the audit queues' depth, the time peer calls take, and the process_* metrics.
//
// Thread-safe.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/audit/audit_queue.h"
#include "common/http/http_server.h"
#include "common/metrics/metrics.h"
#include "common/server/call_metrics.h"

namespace velknee::server {

class ServerMetrics {
 public:
  // `services`: the full names of the hosted services, whose methods are listed from the start.
  explicit ServerMetrics(const std::vector<std::string>& services);

  // Counts the calls of the main gRPC port (ServerOptions::call_metrics).
  CallMetrics* calls() { return &calls_; }

  // DatabaseOptions::on_commit for the database of `service` ("intake"): commit time and how
  // many writes each commit made durable.
  std::function<void(absl::Duration, int)> CommitObserver(absl::string_view service);

  // Reports the depth of `service`'s audit queue at each scrape; `queue` must outlive the
  // metrics server.
  void WatchAuditQueue(absl::string_view service, AuditQueue* queue);

  // Where calls to the peer service `peer` ("intake") are timed (Peer's call_seconds).
  Histogram* PeerCallSeconds(absl::string_view peer);

  // Everything above, in the Prometheus text format.
  std::string TextExposition() const { return registry_.TextExposition(); }

 private:
  MetricRegistry registry_;  // First: the families below live in it.
  CallMetrics calls_;
  Family<Histogram>& commit_seconds_;
  Family<Histogram>& commit_batch_size_;
  CallbackFamily& audit_queue_depth_;
  Family<Histogram>& peer_call_seconds_;
};

// INVALID_ARGUMENT when `listen` (--metrics_listen) is not host:port. Any address is allowed,
// like --health_listen: metrics are plaintext but carry no clinical data and take no token.
absl::Status CheckMetricsListen(const std::string& listen);

// Serves `metrics` as GET /metrics on `listen` (every other path is 404); `metrics` must
// outlive the server. INVALID_ARGUMENT / UNAVAILABLE as HttpServer::Start, naming the flag.
absl::StatusOr<std::unique_ptr<HttpServer>> ServeMetrics(const std::string& listen,
                                                         const ServerMetrics& metrics);

}  // namespace velknee::server

#endif  // VELKNEE_SERVICES_SERVER_SERVER_METRICS_H_
