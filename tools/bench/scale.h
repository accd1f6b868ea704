#ifndef VELKNEE_TOOLS_BENCH_SCALE_H_
#define VELKNEE_TOOLS_BENCH_SCALE_H_

// Scale mode: does a page of a List* call cost the same at many rows as at few (DESIGN §11),
// and how much memory does the server hold at the large size under load?

#include <sys/types.h>

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/channel.h"
#include "tools/bench/load.h"
#include "tools/bench/report.h"
#include "tools/bench/seed.h"

namespace velknee::bench {

// The records scale mode spreads its notes and appointments over: every plan's client holds
// 1/kPlans of the notes, every therapist 1/kTherapists of the appointments.
inline constexpr int kScalePlans = 16;
inline constexpr int kScaleTherapists = 8;

struct ScaleOptions {
  uint64_t small_rows = 10000;
  uint64_t large_rows = 1000000;
  LoadOptions seed;     // how the rows are made (calls in flight)
  LoadOptions measure;  // how each page is measured
};

// Grows the clients, notes and appointments of `records` (made with kScalePlans plans and
// kScaleTherapists therapists) to `small_rows` each, measures each
// page, grows them to `large_rows`, measures again, and adds both sizes' rows and the page and
// memory checks to `report` (memory only when `server` is the server's process). Fails when
// seeding fails or is interrupted.
absl::Status RunScale(const std::vector<std::shared_ptr<grpc::Channel>>& channels, Records& records,
                      std::optional<pid_t> server, const ScaleOptions& options, Report& report);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_SCALE_H_
