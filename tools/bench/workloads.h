#ifndef VELKNEE_TOOLS_BENCH_WORKLOADS_H_
#define VELKNEE_TOOLS_BENCH_WORKLOADS_H_

// The named workloads of velknee-bench: what one operation of each does, through the real API
// with the role that makes the call in a clinic (docs/performance.md, "Workloads").

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/bench/load.h"
#include "tools/bench/seed.h"

namespace velknee::bench {

struct Workload {
  std::string name;         // get-client, ...
  std::string description;  // what one operation is, for the report
  OperationFactory make;
};

// Every workload's name, in the order they run.
const std::vector<std::string>& WorkloadNames();

// OK when `name` is a workload's name; INVALID_ARGUMENT naming the known workloads otherwise.
absl::Status KnownWorkload(const std::string& name);

// The workload called `name` over `records` (which must outlive it). INVALID_ARGUMENT naming
// the known workloads for any other name.
absl::StatusOr<Workload> WorkloadNamed(const std::string& name, Records& records);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_WORKLOADS_H_
