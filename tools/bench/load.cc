#include "tools/bench/load.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "common/client/channel.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tools/bench/child_process.h"

namespace velknee::bench {
namespace {

using Clock = std::chrono::steady_clock;

// What every client thread reads, and the sequence numbers they share.
struct Plan {
  const OperationFactory& factory;
  const LoadOptions& options;
  Clock::time_point measure_from;
  Clock::time_point stop_at;
  std::atomic<uint64_t> next_sequence{0};
};

// One of the calls a client thread keeps in flight, and the operation it belongs to.
struct Slot {
  std::unique_ptr<Operation> operation;
  Clock::time_point start;
  bool measured = false;
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
};

class ClientThread {
 public:
  ClientThread(std::shared_ptr<grpc::Channel> channel, int slots, Plan& plan)
      : stub_(std::move(channel)), slots_(static_cast<size_t>(slots)), plan_(plan) {}

  void Run() {
    int active = 0;
    for (Slot& slot : slots_) {
      if (StartOperation(slot)) ++active;
    }
    void* tag = nullptr;
    bool ok = false;
    while (active > 0 && queue_.Next(&tag, &ok)) {
      Slot& slot = *static_cast<Slot*>(tag);
      if (!Continue(slot) && !StartOperation(slot)) --active;
    }
    queue_.Shutdown();
    while (queue_.Next(&tag, &ok)) {
    }
  }

  LoadResult& result() { return result_; }

 private:
  // Starts the next operation on `slot`; false when there is none to start.
  bool StartOperation(Slot& slot) {
    if (Interrupted()) return false;
    const Clock::time_point now = Clock::now();
    if (plan_.options.operations.has_value()) {
      if (plan_.next_sequence.load() >= *plan_.options.operations) return false;
    } else if (now >= plan_.stop_at) {
      return false;
    }
    const uint64_t sequence = plan_.next_sequence++;
    if (plan_.options.operations.has_value() && sequence >= *plan_.options.operations) {
      return false;
    }
    slot.operation = plan_.factory(sequence);
    slot.start = now;
    slot.measured = now >= plan_.measure_from;
    std::optional<Call> call = slot.operation->Next(nullptr);
    if (!call.has_value()) return false;
    StartCall(slot, *call);
    return true;
  }

  void StartCall(Slot& slot, const Call& call) {
    slot.context = std::make_unique<grpc::ClientContext>();
    PrepareContext(*slot.context, call.token, absl::Now() + plan_.options.deadline);
    slot.reader = stub_.PrepareUnaryCall(slot.context.get(), call.method, call.request, &queue_);
    slot.reader->StartCall();
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  }

  // Handles the end of `slot`'s call; true when its operation goes on with another call.
  bool Continue(Slot& slot) {
    if (!slot.status.ok()) {
      result_.AddError(slot.status);
      return false;
    }
    if (std::optional<Call> next = slot.operation->Next(&slot.response)) {
      StartCall(slot, *next);
      return true;
    }
    const Clock::time_point end = Clock::now();
    if (slot.measured && (plan_.options.operations.has_value() || end <= plan_.stop_at)) {
      ++result_.succeeded;
      result_.latencies_us.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(end - slot.start).count());
    }
    return false;
  }

  grpc::GenericStub stub_;
  grpc::CompletionQueue queue_;
  std::vector<Slot> slots_;
  Plan& plan_;
  LoadResult result_;
};

}  // namespace

double ProcessCpuSeconds() {
  rusage usage;
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

grpc::ByteBuffer Serialize(const google::protobuf::Message& message) {
  grpc::ByteBuffer buffer;
  bool own_buffer = false;
  grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, &buffer, &own_buffer)
      .IgnoreError();  // Serializing a valid message into memory cannot fail.
  return buffer;
}

bool Parse(const grpc::ByteBuffer& response, google::protobuf::Message& message) {
  grpc::ByteBuffer copy = response;  // Deserializing consumes the buffer; copies share slices.
  return grpc::SerializationTraits<google::protobuf::Message>::Deserialize(&copy, &message).ok();
}

std::optional<Call> SingleCall::Next(const grpc::ByteBuffer* /*previous_response*/) {
  std::optional<Call> call = std::move(call_);
  call_.reset();
  return call;
}

uint64_t LoadResult::ErrorCount() const {
  uint64_t count = 0;
  for (const auto& [code, n] : errors) count += n;
  return count;
}

double LoadResult::PercentileMs(double fraction) const {
  if (latencies_us.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(fraction * latencies_us.size()));
  return latencies_us[std::clamp<size_t>(rank, 1, latencies_us.size()) - 1] / 1000.0;
}

void LoadResult::AddError(const grpc::Status& status) {
  if (errors.empty()) first_error = status.error_message();
  ++errors[status.error_code()];
}

std::vector<std::shared_ptr<grpc::Channel>> Connect(const std::string& target, int connections) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < connections; ++i) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
  }
  return channels;
}

LoadResult RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const OperationFactory& factory, const LoadOptions& options) {
  const Clock::time_point begin = Clock::now();
  const double cpu_before = ProcessCpuSeconds();
  const bool counted = options.operations.has_value();
  Plan plan{factory, options,
            begin + (counted ? Clock::duration::zero() : absl::ToChronoNanoseconds(options.warmup)),
            begin + absl::ToChronoNanoseconds(options.warmup + options.duration)};
  std::vector<std::unique_ptr<ClientThread>> clients;
  const int threads = static_cast<int>(channels.size());
  for (int i = 0; i < threads; ++i) {
    const int slots = options.in_flight / threads + (i < options.in_flight % threads ? 1 : 0);
    clients.push_back(
        std::make_unique<ClientThread>(channels[static_cast<size_t>(i)], slots, plan));
  }
  absl::Notification done;
  std::thread sampler;
  if (options.sample) {
    sampler = std::thread([&] {
      while (!done.WaitForNotificationWithTimeout(absl::Milliseconds(100))) {
        if (Clock::now() >= plan.measure_from) options.sample();
      }
    });
  }
  std::vector<std::thread> running;
  for (auto& client : clients) running.emplace_back([&client] { client->Run(); });
  for (std::thread& thread : running) thread.join();
  done.Notify();
  if (sampler.joinable()) sampler.join();

  LoadResult result;
  const Clock::time_point end = counted ? Clock::now() : std::min(Clock::now(), plan.stop_at);
  result.seconds = std::chrono::duration<double>(end - plan.measure_from).count();
  for (auto& client : clients) {
    LoadResult& part = client->result();
    result.succeeded += part.succeeded;
    for (const auto& [code, n] : part.errors) result.errors[code] += n;
    if (result.first_error.empty()) result.first_error = part.first_error;
    result.latencies_us.insert(result.latencies_us.end(), part.latencies_us.begin(),
                               part.latencies_us.end());
  }
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.generator_cores = (ProcessCpuSeconds() - cpu_before) /
                           std::chrono::duration<double>(Clock::now() - begin).count();
  return result;
}

}  // namespace velknee::bench
