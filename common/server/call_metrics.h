#ifndef VELKNEE_COMMON_SERVER_CALL_METRICS_H_
#define VELKNEE_COMMON_SERVER_CALL_METRICS_H_

// The gRPC server metrics under go-grpc-prometheus' names and labels:
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_msg_received_total, grpc_server_msg_sent_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
// counted by a server interceptor, so every call is counted, also the ones refused before any
// handler runs (UNAUTHENTICATED, PERMISSION_DENIED). grpc_code is spelled as Go's codes.Code
// prints it ("OK", "Unauthenticated", "PermissionDenied").
//
// Thread-safe. Every series (each method with each of the 17 codes) is made at construction
// and looked up in a table that is constant after it, so counting a call takes no lock and
// allocates nothing.

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/metrics/metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace velknee {

class CallMetrics {
 public:
  // Adds the five families to `registry` (which must outlive this), with the label sets of
  // every method of `services` (full proto service names, "velknee.intake.v1.IntakeService"),
  // of gRPC's health and reflection services, and of grpc_service="unknown" (calls of a method
  // the server does not have) made now: each is scraped as 0 calls before its first. Aborts
  // when a service is not in the generated descriptor pool (the names are constants).
  CallMetrics(MetricRegistry& registry, const std::vector<std::string>& services);
  ~CallMetrics();

  // An interceptor factory for a grpc::ServerBuilder (it must not outlive this).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewInterceptorFactory();

  // One method's metrics.
  class Method;

 private:
  // The metrics of `full_method` ("/package.Service/Method"), or unknown_'s.
  Method& Find(const char* full_method);
  void Add(absl::string_view service, absl::string_view method, const char* type);

  Family<Counter>& started_;
  Family<Counter>& received_;
  Family<Counter>& sent_;
  Family<Counter>& handled_;
  Family<Histogram>& seconds_;
  // Every method the server answers; constant after construction.
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_;
  // Calls of any other method (gRPC answers them UNIMPLEMENTED): one series, however many
  // names clients make up.
  std::unique_ptr<Method> unknown_;

  friend class CallMetricsInterceptorFactory;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_SERVER_CALL_METRICS_H_
