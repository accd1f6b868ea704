#include "common/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace velknee {
namespace {

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

// Fields of /proc/self/stat (proc(5)), counted from 1 like the manual page.
enum StatField {
  kUserTicks = 14,
  kSystemTicks = 15,
  kStartTicks = 22,
  kVirtualBytes = 23,
  kResidentPages = 24
};

// The fields of one line of /proc/self/stat, from field 3 on; empty when unreadable.
std::vector<std::string> ReadStat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 > line.size()) return {};
  return absl::StrSplit(line.substr(close + 2), ' ');
}

// Field `field` of `stat` (ReadStat's fields), or NaN.
double StatValue(const std::vector<std::string>& stat, StatField field) {
  const size_t index = field - 3;
  double value = 0;
  if (index >= stat.size() || !absl::SimpleAtod(stat[index], &value)) return kUnknown;
  return value;
}

// /proc/self/stat as last read, shared by the metrics taken from it. The callbacks of one
// scrape run within microseconds of each other, so re-reading only when the copy is older than
// kFresh reads the file once per scrape, while scrapes seconds apart each see new values.
class StatCache {
 public:
  double Value(StatField field) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    if (now - read_time_ > kFresh) {
      stat_ = ReadStat();
      read_time_ = now;
    }
    return StatValue(stat_, field);
  }

 private:
  static constexpr absl::Duration kFresh = absl::Milliseconds(100);
  absl::Mutex mu_;
  absl::Time read_time_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::vector<std::string> stat_ ABSL_GUARDED_BY(mu_);
};

double TicksPerSecond() { return static_cast<double>(::sysconf(_SC_CLK_TCK)); }

// When the machine booted, in seconds since the epoch (the `btime` line of /proc/stat).
double BootTime() {
  std::ifstream in("/proc/stat");
  std::string line;
  while (std::getline(in, line)) {
    double seconds = 0;
    if (line.rfind("btime ", 0) == 0 && absl::SimpleAtod(line.substr(6), &seconds)) {
      return seconds;
    }
  }
  return kUnknown;
}

double OpenFds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return kUnknown;
  int count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count - 1;  // Not the descriptor this count itself opened.
}

double MaxFds() {
  rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return kUnknown;
  return static_cast<double>(limit.rlim_cur);
}

}  // namespace

void AddProcessMetrics(MetricRegistry& registry) {
  using Kind = CallbackFamily::Kind;
  auto stat = std::make_shared<StatCache>();
  // Fixed for the process's life: computed once.
  const double start_time = BootTime() + StatValue(ReadStat(), kStartTicks) / TicksPerSecond();
  registry
      .AddCallback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                   Kind::kCounter)
      .Add({}, [stat] {
        return (stat->Value(kUserTicks) + stat->Value(kSystemTicks)) / TicksPerSecond();
      });
  registry
      .AddCallback("process_resident_memory_bytes", "Resident memory size in bytes.", Kind::kGauge)
      .Add({}, [stat] { return stat->Value(kResidentPages) * ::sysconf(_SC_PAGESIZE); });
  registry
      .AddCallback("process_virtual_memory_bytes", "Virtual memory size in bytes.", Kind::kGauge)
      .Add({}, [stat] { return stat->Value(kVirtualBytes); });
  registry.AddCallback("process_open_fds", "Number of open file descriptors.", Kind::kGauge)
      .Add({}, OpenFds);
  registry.AddCallback("process_max_fds", "Maximum number of open file descriptors.", Kind::kGauge)
      .Add({}, MaxFds);
  registry
      .AddCallback("process_start_time_seconds",
                   "Start time of the process since unix epoch in seconds.", Kind::kGauge)
      .Add({}, [start_time] { return start_time; });
}

}  // namespace velknee
