#include "common/server/call_metrics.h"

#include <chrono>

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

// The methods gRPC's own services may add are few; anything past this is counted as one
// "unknown" method rather than growing without bound.
constexpr size_t kMaxOtherMethods = 32;

const char* TypeName(bool client_streaming, bool server_streaming) {
  if (client_streaming && server_streaming) return "bidi_stream";
  if (client_streaming) return "client_stream";
  return server_streaming ? "server_stream" : "unary";
}

const char* TypeName(grpc::experimental::ServerRpcInfo::Type type) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  return TypeName(type == Type::CLIENT_STREAMING || type == Type::BIDI_STREAMING,
                  type == Type::SERVER_STREAMING || type == Type::BIDI_STREAMING);
}

}  // namespace

class CallMetrics::Method {
 public:
  Method(CallMetrics& metrics, std::vector<std::string> labels)
      : family_(metrics.handled_),
        labels_(std::move(labels)),
        started_(metrics.started_.WithLabels(labels_)),
        seconds_(metrics.seconds_.WithLabels(labels_)) {}

  void Started() { started_.Increment(); }

  void Handled(grpc::StatusCode code, double seconds) {
    const size_t index = static_cast<size_t>(code) < kCodeNames.size() ? code : 2;  // Unknown
    Counter* handled = handled_[index].load(std::memory_order_acquire);
    if (handled == nullptr) {
      // Two calls may both get here; the family gives both the same counter.
      std::vector<std::string> labels = labels_;
      labels.push_back(kCodeNames[index]);
      handled = &family_.WithLabels(labels);
      handled_[index].store(handled, std::memory_order_release);
    }
    handled->Increment();
    seconds_.Observe(seconds);
  }

 private:
  Family<Counter>& family_;
  const std::vector<std::string> labels_;  // grpc_type, grpc_service, grpc_method
  Counter& started_;
  Histogram& seconds_;
  // Per code, made on the first call that ends with it (most methods see a few codes only).
  std::array<std::atomic<Counter*>, kCodeNames.size()> handled_{};
};

// Times one call from its arrival to its status.
class CallMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CallMetricsInterceptor(CallMetrics::Method& method)
      : method_(method), start_(std::chrono::steady_clock::now()) {
    method_.Started();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using Hook = grpc::experimental::InterceptionHookPoints;
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
    return new CallMetricsInterceptor(metrics_.Find(info->method(), TypeName(info->type())));
  }

 private:
  CallMetrics& metrics_;
};

CallMetrics::CallMetrics(MetricRegistry& registry, const std::vector<std::string>& services)
    : started_(registry.AddCounter("grpc_server_started_total",
                                   "Total number of RPCs started on the server.",
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
    if (descriptor == nullptr) continue;  // Counted as an "other" service on its first call.
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = descriptor->method(i);
      const std::string full_method = absl::StrCat("/", service, "/", method->name());
      hosted_[full_method] =
          Make(full_method, TypeName(method->client_streaming(), method->server_streaming()));
    }
  }
}

CallMetrics::~CallMetrics() = default;

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallMetrics::NewInterceptorFactory() {
  return std::make_unique<CallMetricsInterceptorFactory>(*this);
}

std::unique_ptr<CallMetrics::Method> CallMetrics::Make(absl::string_view full_method,
                                                       const char* type) {
  // "/package.Service/Method"
  const size_t slash = full_method.rfind('/');
  const absl::string_view service =
      slash == absl::string_view::npos ? "unknown" : full_method.substr(1, slash - 1);
  const absl::string_view method =
      slash == absl::string_view::npos ? full_method : full_method.substr(slash + 1);
  return std::make_unique<Method>(
      *this, std::vector<std::string>{type, std::string(service), std::string(method)});
}

CallMetrics::Method& CallMetrics::Find(const char* full_method, const char* type) {
  if (auto it = hosted_.find(full_method); it != hosted_.end()) return *it->second;
  absl::MutexLock lock(&mu_);
  std::string key = full_method;
  if (others_.size() >= kMaxOtherMethods && !others_.contains(key)) key = "/unknown/unknown";
  std::unique_ptr<Method>& method = others_[key];
  if (method == nullptr) method = Make(key, type);
  return *method;
}

}  // namespace velknee
