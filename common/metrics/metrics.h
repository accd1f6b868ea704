#ifndef VELKNEE_COMMON_METRICS_METRICS_H_
#define VELKNEE_COMMON_METRICS_METRICS_H_

// Prometheus metrics: counters and histograms in labelled families, and gauges read at scrape
// time (CallbackFamily), kept in a registry
// that renders them in the Prometheus text exposition format (version 0.0.4) for /metrics.
//
// The hot path is lock-free: a family hands out a metric per label set once (under the
// family's lock), and callers keep the reference, which stays valid as long as the registry;
// Increment and Observe are then single atomic operations.
//
//   MetricRegistry registry;
//   Family<Counter>& calls = registry.AddCounter("app_calls_total", "Calls.", {"method"});
//   Counter& get = calls.WithLabels({"Get"});   // once
//   get.Increment();                            // per call
//
// Names and label names follow Prometheus' rules; a registry is made once at start with
// constant names, so a bad or repeated name is a programming error and aborts.
//
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace velknee {

// A value that only goes up (calls made, CPU seconds used).
class Counter {
 public:
  void Increment(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// How observed values (latencies, batch sizes) are distributed over buckets with fixed upper
// bounds, plus their sum and count.
class Histogram {
 public:
  // `bounds`: the buckets' inclusive upper bounds, strictly increasing; +Inf is implied.
  explicit Histogram(std::span<const double> bounds);

  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // One per bound, then +Inf (which equals the count).
    double sum = 0.0;
  };
  // The counts so far. Taken bucket by bucket while others observe, so it may miss an
  // observation that is still being recorded, but its +Inf bucket always equals its count.
  Snapshot Take() const;

  std::span<const double> bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  // Per bucket (not cumulative): an observation touches one bucket.
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0.0};
};

// Bucket bounds for call and commit latencies in seconds: from half a millisecond (a read
// served from cache) to ten seconds (a call near its deadline).
std::span<const double> LatencySecondsBuckets();

// One family of a registry: a name, help text, type and label names, and the label sets that
// have values. Written out by the registry.
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names);
  virtual ~MetricFamily() = default;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // "counter", "gauge" or "histogram".
  virtual absl::string_view type() const = 0;
  // Appends this family's samples (without the HELP and TYPE lines) to `out`.
  virtual void AppendSamples(std::string& out) const = 0;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
};

// The metrics of one family, one per label set.
template <typename Metric>
class Family final : public MetricFamily {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<Metric>()> make)
      : MetricFamily(std::move(name), std::move(help), std::move(label_names)),
        make_(std::move(make)) {}

  // The metric for `label_values` (one per label name, in order), made on first use. The
  // reference stays valid for the registry's lifetime: look it up once, not per event.
  Metric& WithLabels(const std::vector<std::string>& label_values) ABSL_LOCKS_EXCLUDED(mu_);

  absl::string_view type() const override;
  void AppendSamples(std::string& out) const override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable absl::Mutex mu_;
  // Ordered, so a scrape lists label sets in the same order every time.
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> metrics_ ABSL_GUARDED_BY(mu_);
};

template <>
absl::string_view Family<Counter>::type() const;
template <>
absl::string_view Family<Histogram>::type() const;
template <>
void Family<Histogram>::AppendSamples(std::string& out) const;
extern template class Family<Counter>;
extern template class Family<Histogram>;

// A family whose values are read when it is scraped (a queue's depth, the process's memory),
// so nothing runs between scrapes.
class CallbackFamily final : public MetricFamily {
 public:
  enum class Kind { kCounter, kGauge };
  CallbackFamily(std::string name, std::string help, std::vector<std::string> label_names,
                 Kind kind)
      : MetricFamily(std::move(name), std::move(help), std::move(label_names)), kind_(kind) {}

  // `read` gives the value for `label_values` at each scrape; it must stay callable for the
  // registry's lifetime (or until the last scrape) and be thread-safe.
  void Add(const std::vector<std::string>& label_values, std::function<double()> read)
      ABSL_LOCKS_EXCLUDED(mu_);

  absl::string_view type() const override;
  void AppendSamples(std::string& out) const override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const Kind kind_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::function<double()>> reads_ ABSL_GUARDED_BY(mu_);
};

class MetricRegistry {
 public:
  // Each adds a family and returns it; it lives as long as the registry. A family without
  // labels has its one metric from the start, so it is scraped as 0 before its first event.
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names,
                                  std::span<const double> bounds);
  CallbackFamily& AddCallback(std::string name, std::string help, CallbackFamily::Kind kind,
                              std::vector<std::string> label_names = {});

  // Every family in the text exposition format, in the order they were added.
  std::string TextExposition() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  template <typename FamilyType, typename... Args>
  FamilyType& Add(Args&&... args) ABSL_LOCKS_EXCLUDED(mu_);
  // Adds a family of `make`'s metrics, with its one metric made when it has no labels.
  template <typename Metric>
  Family<Metric>& AddFamily(std::string name, std::string help,
                            std::vector<std::string> label_names,
                            std::function<std::unique_ptr<Metric>()> make);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<MetricFamily>> families_ ABSL_GUARDED_BY(mu_);
};

// The Content-Type of TextExposition's output.
inline constexpr absl::string_view kTextExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace velknee

#endif  // VELKNEE_COMMON_METRICS_METRICS_H_
