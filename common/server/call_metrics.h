#ifndef VELKNEE_COMMON_SERVER_CALL_METRICS_H_
#define VELKNEE_COMMON_SERVER_CALL_METRICS_H_

// The gRPC server metrics under go-grpc-prometheus' names, so its dashboards and alerts work
// unchanged:
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
// counted by a server interceptor, so every call is counted, also the ones refused before any
// handler runs (UNAUTHENTICATED, PERMISSION_DENIED). grpc_code is spelled as Go's codes.Code
// prints it ("OK", "Unauthenticated", "PermissionDenied").
//
// Thread-safe. The hosted methods' metrics are looked up in a table that is constant after
// construction, so counting a call takes no lock.

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace velknee {

class CallMetrics {
 public:
  // Adds the three families to `registry` (which must outlive this), with the label sets of
  // every method of `services` (full proto service names, "velknee.intake.v1.IntakeService")
  // made now: each method is scraped as 0 calls before its first.
  CallMetrics(MetricRegistry& registry, const std::vector<std::string>& services);
  ~CallMetrics();

  // An interceptor factory for a grpc::ServerBuilder (it must not outlive this).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewInterceptorFactory();

  // One method's metrics.
  class Method;

 private:
  // The metrics of `full_method` ("/package.Service/Method").
  Method& Find(const char* full_method, const char* type) ABSL_LOCKS_EXCLUDED(mu_);
  std::unique_ptr<Method> Make(absl::string_view full_method, const char* type);

  Family<Counter>& started_;
  Family<Counter>& handled_;
  Family<Histogram>& seconds_;
  // The hosted services' methods; constant after construction.
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> hosted_;
  // Methods of services gRPC adds itself (health, reflection), made on their first call.
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> others_ ABSL_GUARDED_BY(mu_);

  friend class CallMetricsInterceptorFactory;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_SERVER_CALL_METRICS_H_
