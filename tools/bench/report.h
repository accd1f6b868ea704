#ifndef VELKNEE_TOOLS_BENCH_REPORT_H_
#define VELKNEE_TOOLS_BENCH_REPORT_H_

// What velknee-bench measured, set against DESIGN §11's targets, as a table for people and as
// JSON for machines.

#include <string>
#include <utility>
#include <vector>

#include "tools/bench/load.h"

namespace velknee::bench {

// DESIGN §11. The benchmark is the only place they are checked (never a timed unit test).
struct Targets {
  static constexpr double kReadVsEchoAtLeast = 0.5;     // get-client ÷ echo, calls/s
  static constexpr double kReadP99MsAtMost = 5;         // get-client p99 at 64 in flight
  static constexpr double kWriteVsSqliteAtLeast = 1.5;  // create-client ÷ SQLite loop
  static constexpr double kWriteP99MsAtMost = 15;       // create-client p99 at 64 in flight
  static constexpr double kPageP99RatioAtMost = 1.2;    // a List* page, large ÷ small
  static constexpr double kResidentMbAtMost = 150;      // the server at the large size
};

// The row names of the two ceilings.
inline constexpr char kEchoRow[] = "echo";
inline constexpr char kSqliteRow[] = "sqlite-loop";

// One measured workload (or ceiling).
struct Row {
  std::string name;
  std::string description;
  LoadResult result;
};

// A measurement against its target.
struct Check {
  std::string name;
  double measured = 0;
  double target = 0;
  bool at_least = true;  // met when measured >= target; otherwise when measured <= target
  std::string unit;      // "x", "ms", "MB"
  bool met() const { return at_least ? measured >= target : measured <= target; }
};

struct Report {
  std::vector<std::pair<std::string, std::string>> setup;  // how the run was made
  std::vector<Row> rows;
  std::vector<Check> checks;
  std::vector<std::string> notes;  // extra lines (resident memory samples, warnings)

  uint64_t ErrorCount() const;
  bool AllMet() const;
};

// `result`'s p99 for a check: infinite when any call failed or none succeeded, so that a check
// of a broken measurement is never met.
double CheckedP99Ms(const LoadResult& result);

// Adds DESIGN §11's read and write checks for the rows present (get-client with echo,
// create-client with the SQLite loop).
void AddThroughputChecks(Report& report);

// A table; failed calls are shouted, with their codes and the first message.
std::string TableText(const Report& report);

// The same as one JSON object: {"setup": {...}, "workloads": [{"name", "calls_per_second",
// "succeeded", "seconds", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "errors": {CODE: n},
// "first_error", "generator_cores"}], "checks": [{"name", "measured", "target", "at_least", "unit",
// "met"}], "notes": [...], "errors": total, "all_met": bool}.
std::string JsonText(const Report& report);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_REPORT_H_
