#include "common/server/call_metrics.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace velknee {
namespace {

// grpc_code values as go-grpc-prometheus writes them (Go's codes.Code.String()), indexed by
// the numeric code.
constexpr std::array<const char*, 17> kCodeNames = {
    "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
    "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
    "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
    "DataLoss", "Unauthenticated"};

// The services gRPC adds itself (velknee's GrpcServer enables both); not necessarily in the
// generated descriptor pool, so listed here.
struct BuiltInMethod {
  const char* service;
  const char* method;
  const char* type;
};
constexpr std::array<BuiltInMethod, 3> kBuiltInMethods = {{
    {"grpc.health.v1.Health", "Check", "unary"},
    {"grpc.health.v1.Health", "Watch", "server_stream"},
    {"grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", "bidi_stream"},
}};

const char* TypeName(bool client_streaming, bool server_streaming) {
  if (client_streaming && server_streaming) return "bidi_stream";
  if (client_streaming) return "client_stream";
  return server_streaming ? "server_stream" : "unary";
}

}  // namespace

class CallMetrics::Method {
 public:
  Method(CallMetrics& metrics, const std::vector<std::string>& labels)
      : started_(metrics.started_.WithLabels(labels)),
        received_(metrics.received_.WithLabels(labels)),
        sent_(metrics.sent_.WithLabels(labels)),
        seconds_(metrics.seconds_.WithLabels(labels)) {
    for (size_t code = 0; code < kCodeNames.size(); ++code) {
      std::vector<std::string> with_code = labels;
      with_code.push_back(kCodeNames[code]);
      handled_[code] = &metrics.handled_.WithLabels(with_code);
    }
  }

  void Started() { started_.Increment(); }
  void Received() { received_.Increment(); }
  void Sent() { sent_.Increment(); }

  void Handled(grpc::StatusCode code, double seconds) {
    const size_t index = static_cast<size_t>(code) < kCodeNames.size() ? code : 2;  // Unknown
    handled_[index]->Increment();
    seconds_.Observe(seconds);
  }

 private:
  Counter& started_;
  Counter& received_;
  Counter& sent_;
  Histogram& seconds_;
  std::array<Counter*, kCodeNames.size()> handled_;  // By code.
};

// Times one call from when a server thread takes it up (gRPC makes the interceptor then) to
// its status.
class CallMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CallMetricsInterceptor(CallMetrics::Method& method)
      : method_(method), start_(std::chrono::steady_clock::now()) {
    method_.Started();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using Hook = grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_MESSAGE)) method_.Received();
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_MESSAGE)) method_.Sent();
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      method_.Handled(methods->GetSendStatus().error_code(), elapsed.count());
    }
    methods->Proceed();
  }

 private:
  CallMetrics::Method& method_;
  const std::chrono::steady_clock::time_point start_;
};

class CallMetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallMetricsInterceptorFactory(CallMetrics& metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallMetricsInterceptor(metrics_.Find(info->method()));
  }

 private:
  CallMetrics& metrics_;
};

CallMetrics::CallMetrics(MetricRegistry& registry, const std::vector<std::string>& services)
    : started_(registry.AddCounter("grpc_server_started_total",
                                   "Total number of RPCs started on the server.",
                                   {"grpc_type", "grpc_service", "grpc_method"})),
      received_(registry.AddCounter("grpc_server_msg_received_total",
                                    "Total number of RPC stream messages received on the server.",
                                    {"grpc_type", "grpc_service", "grpc_method"})),
      sent_(registry.AddCounter("grpc_server_msg_sent_total",
                                "Total number of gRPC stream messages sent by the server.",
                                {"grpc_type", "grpc_service", "grpc_method"})),
      handled_(registry.AddCounter(
          "grpc_server_handled_total",
          "Total number of RPCs completed on the server, regardless of success or failure.",
          {"grpc_type", "grpc_service", "grpc_method", "grpc_code"})),
      seconds_(registry.AddHistogram(
          "grpc_server_handling_seconds",
          "Histogram of response latency (seconds) of gRPC that had been application-level "
          "handled by the server.",
          {"grpc_type", "grpc_service", "grpc_method"}, LatencySecondsBuckets())) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& service : services) {
    const google::protobuf::ServiceDescriptor* descriptor = pool->FindServiceByName(service);
    if (descriptor == nullptr) {
      std::fprintf(stderr, "velknee metrics: service %s is not linked in\n", service.c_str());
      std::abort();
    }
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = descriptor->method(i);
      Add(service, method->name(),
          TypeName(method->client_streaming(), method->server_streaming()));
    }
  }
  for (const BuiltInMethod& method : kBuiltInMethods) {
    Add(method.service, method.method, method.type);
  }
  unknown_ =
      std::make_unique<Method>(*this, std::vector<std::string>{"unary", "unknown", "unknown"});
}

CallMetrics::~CallMetrics() = default;

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallMetrics::NewInterceptorFactory() {
  return std::make_unique<CallMetricsInterceptorFactory>(*this);
}

void CallMetrics::Add(absl::string_view service, absl::string_view method, const char* type) {
  methods_[absl::StrCat("/", service, "/", method)] = std::make_unique<Method>(
      *this, std::vector<std::string>{type, std::string(service), std::string(method)});
}

CallMetrics::Method& CallMetrics::Find(const char* full_method) {
  auto it = methods_.find(absl::string_view(full_method));
  return it != methods_.end() ? *it->second : *unknown_;
}

}  // namespace velknee
