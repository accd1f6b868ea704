#ifndef VELKNEE_TOOLS_BENCH_LOAD_H_
#define VELKNEE_TOOLS_BENCH_LOAD_H_

// The load generator: keeps N operations in flight against a gRPC server for a while (or for a
// number of operations), and records each one's latency and outcome.
//
// It uses gRPC's asynchronous client API: each client thread owns a completion queue and its own
// connection and keeps its share of the N calls in flight, so two threads keep 64 calls in flight
// without a thread per call (docs/performance.md, "How it measures"). Every call is
// made through grpc::GenericStub with serialized request bytes, so velknee's services and the
// bare echo server are driven by exactly the same client code.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/status.h"

namespace velknee::bench {

// One RPC: the full method name (`/velknee.intake.v1.IntakeService/GetClient`), the serialized
// request and the bearer token to send.
struct Call {
  std::string method;
  grpc::ByteBuffer request;
  std::string token;
};

// The serialized bytes of `message`, for Call::request.
grpc::ByteBuffer Serialize(const google::protobuf::Message& message);

// Parses a response; false when the bytes are not a `message`.
bool Parse(const grpc::ByteBuffer& response, google::protobuf::Message& message);

// What a workload repeats: one RPC, or a few in sequence (CreateNote, then SignNote on the
// note it made). An operation fails at its first failing call.
class Operation {
 public:
  virtual ~Operation() = default;
  // The next call, given the response to the previous one (nullptr before the first); nullopt
  // when the operation is complete.
  virtual std::optional<Call> Next(const grpc::ByteBuffer* previous_response) = 0;
};

// An operation of one call.
class SingleCall final : public Operation {
 public:
  explicit SingleCall(Call call) : call_(std::move(call)) {}
  std::optional<Call> Next(const grpc::ByteBuffer* previous_response) override;

 private:
  std::optional<Call> call_;
};

// Makes the operation with the given sequence number (0, 1, 2, ... across all threads). Called
// concurrently from every client thread.
using OperationFactory = std::function<std::unique_ptr<Operation>(uint64_t sequence)>;

struct LoadOptions {
  int in_flight = 64;
  int client_threads = 2;
  absl::Duration warmup = absl::Seconds(2);
  // Measured time after the warm-up; ignored when `operations` is set.
  absl::Duration duration = absl::Seconds(10);
  // When set: make exactly this many operations, measuring all of them (seeding).
  std::optional<uint64_t> operations;
  // Each call's deadline.
  absl::Duration deadline = absl::Seconds(10);
  // Called for every measured operation while it runs, about every 100 ms (resident-memory
  // samples); may be empty.
  std::function<void()> sample;
};

// Latencies and outcomes of the measured operations (those started after the warm-up).
struct LoadResult {
  double seconds = 0;
  uint64_t succeeded = 0;
  // Every failed call by its code, the warm-up's included: a benchmark with errors says so.
  std::map<grpc::StatusCode, uint64_t> errors;
  std::string first_error;
  // The CPU this process (the load generator) used while it ran, in cores (1.0 = one core
  // busy all the time), warm-up included: what the generator takes from the server.
  double generator_cores = 0;
  // Of successful measured operations, in microseconds, sorted.
  std::vector<int64_t> latencies_us;

  double PerSecond() const { return seconds > 0 ? succeeded / seconds : 0; }
  uint64_t ErrorCount() const;
  // The `fraction` (0.5, 0.99) percentile in milliseconds; 0 when nothing succeeded.
  double PercentileMs(double fraction) const;
  // Adds a failed call with `status`.
  void AddError(const grpc::Status& status);
};

// User and system CPU time this process has used so far, in seconds.
double ProcessCpuSeconds();

// The channels to `target`, one connection each (gRPC would otherwise share one connection
// among channels with the same arguments). Plaintext: the benchmark runs on the server's host.
std::vector<std::shared_ptr<grpc::Channel>> Connect(const std::string& target, int connections);

// Runs `factory`'s operations over `channels` (one client thread per channel) as `options`
// say; stops early, with what it has, when the benchmark is interrupted.
LoadResult RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const OperationFactory& factory, const LoadOptions& options);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_LOAD_H_
