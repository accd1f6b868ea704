#include "common/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

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

// Field `field` of /proc/self/stat, or NaN.
double StatValue(StatField field) {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return kUnknown;
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return kUnknown;
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(line).substr(close + 2), ' ');
  const size_t index = field - 3;
  double value = 0;
  if (index >= fields.size() || !absl::SimpleAtod(fields[index], &value)) return kUnknown;
  return value;
}

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
  registry
      .AddCallback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                   Kind::kCounter)
      .Add({}, [] { return (StatValue(kUserTicks) + StatValue(kSystemTicks)) / TicksPerSecond(); });
  registry
      .AddCallback("process_resident_memory_bytes", "Resident memory size in bytes.", Kind::kGauge)
      .Add({}, [] { return StatValue(kResidentPages) * ::sysconf(_SC_PAGESIZE); });
  registry
      .AddCallback("process_virtual_memory_bytes", "Virtual memory size in bytes.", Kind::kGauge)
      .Add({}, [] { return StatValue(kVirtualBytes); });
  registry.AddCallback("process_open_fds", "Number of open file descriptors.", Kind::kGauge)
      .Add({}, OpenFds);
  registry.AddCallback("process_max_fds", "Maximum number of open file descriptors.", Kind::kGauge)
      .Add({}, MaxFds);
  registry
      .AddCallback("process_start_time_seconds",
                   "Start time of the process since unix epoch in seconds.", Kind::kGauge)
      .Add({}, [] { return BootTime() + StatValue(kStartTicks) / TicksPerSecond(); });
}

}  // namespace velknee
