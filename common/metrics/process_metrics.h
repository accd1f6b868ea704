#ifndef VELKNEE_COMMON_METRICS_PROCESS_METRICS_H_
#define VELKNEE_COMMON_METRICS_PROCESS_METRICS_H_

// The standard process_* metrics of Prometheus' client libraries, read from /proc/self at each
// scrape: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds. A value that cannot be read (no /proc) is scraped as NaN.

#include "common/metrics/metrics.h"

namespace velknee {

void AddProcessMetrics(MetricRegistry& registry);

}  // namespace velknee

#endif  // VELKNEE_COMMON_METRICS_PROCESS_METRICS_H_
