#include "common/metrics/metrics.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/metrics/text_format.h"

namespace velknee {
namespace {

// A registry is built from constant names at start: a bad one is a bug to fix, not an input
// to report.
void Require(bool condition, absl::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "velknee metrics: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {
  Require(std::adjacent_find(bounds_.begin(), bounds_.end(), std::greater_equal<double>()) ==
              bounds_.end(),
          "histogram bounds must increase strictly");
}

void Histogram::Observe(double value) {
  // A bucket holds the values up to and including its bound; the last one (+Inf) the rest.
  const size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Take() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(total);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::span<const double> LatencySecondsBuckets() {
  static constexpr std::array<double, 14> kBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBounds;
}

MetricFamily::MetricFamily(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {
  Require(IsValidMetricName(name_), absl::StrCat("invalid metric name \"", name_, "\""));
  for (const std::string& label : label_names_) {
    Require(IsValidLabelName(label), absl::StrCat(name_, ": invalid label name \"", label, "\""));
  }
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string>& label_values) {
  Require(label_values.size() == label_names().size(),
          absl::StrCat(name(), ": ", label_values.size(), " label values for ",
                       label_names().size(), " labels"));
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Metric>& metric = metrics_[label_values];
  if (metric == nullptr) metric = make_();
  return *metric;
}

template <>
absl::string_view Family<Counter>::type() const {
  return "counter";
}
template <>
absl::string_view Family<Histogram>::type() const {
  return "histogram";
}

template <typename Metric>
void Family<Metric>::AppendSamples(std::string& out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, metric] : metrics_) {
    AppendSample(out, name(), label_names(), labels, metric->value());
  }
}

template <>
void Family<Histogram>::AppendSamples(std::string& out) const {
  absl::MutexLock lock(&mu_);
  const std::string bucket = absl::StrCat(name(), "_bucket");
  for (const auto& [labels, histogram] : metrics_) {
    const Histogram::Snapshot snapshot = histogram->Take();
    const std::span<const double> bounds = histogram->bounds();
    for (size_t i = 0; i < bounds.size(); ++i) {
      AppendSample(out, bucket, label_names(), labels, snapshot.cumulative[i],
                   FormatSampleValue(bounds[i]));
    }
    const double count = snapshot.cumulative.back();
    AppendSample(out, bucket, label_names(), labels, count, "+Inf");
    AppendSample(out, absl::StrCat(name(), "_sum"), label_names(), labels, snapshot.sum);
    AppendSample(out, absl::StrCat(name(), "_count"), label_names(), labels, count);
  }
}

template class Family<Counter>;
template class Family<Histogram>;

void CallbackFamily::Add(const std::vector<std::string>& label_values,
                         std::function<double()> read) {
  Require(label_values.size() == label_names().size(),
          absl::StrCat(name(), ": ", label_values.size(), " label values for ",
                       label_names().size(), " labels"));
  absl::MutexLock lock(&mu_);
  reads_[label_values] = std::move(read);
}

absl::string_view CallbackFamily::type() const {
  return kind_ == Kind::kCounter ? "counter" : "gauge";
}

void CallbackFamily::AppendSamples(std::string& out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, read] : reads_)
    AppendSample(out, name(), label_names(), labels, read());
}

template <typename FamilyType, typename... Args>
FamilyType& MetricRegistry::Add(Args&&... args) {
  auto family = std::make_unique<FamilyType>(std::forward<Args>(args)...);
  FamilyType& added = *family;
  absl::MutexLock lock(&mu_);
  for (const std::unique_ptr<MetricFamily>& existing : families_) {
    Require(existing->name() != added.name(),
            absl::StrCat("metric \"", added.name(), "\" registered twice"));
  }
  families_.push_back(std::move(family));
  return added;
}

template <typename Metric>
Family<Metric>& MetricRegistry::AddFamily(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::function<std::unique_ptr<Metric>()> make) {
  const bool unlabelled = label_names.empty();
  Family<Metric>& family = Add<Family<Metric>>(std::move(name), std::move(help),
                                               std::move(label_names), std::move(make));
  if (unlabelled) family.WithLabels({});
  return family;
}

Family<Counter>& MetricRegistry::AddCounter(std::string name, std::string help,
                                            std::vector<std::string> label_names) {
  return AddFamily<Counter>(std::move(name), std::move(help), std::move(label_names),
                            [] { return std::make_unique<Counter>(); });
}

Family<Histogram>& MetricRegistry::AddHistogram(std::string name, std::string help,
                                                std::vector<std::string> label_names,
                                                std::span<const double> bounds) {
  return AddFamily<Histogram>(std::move(name), std::move(help), std::move(label_names),
                              [bounds = std::vector<double>(bounds.begin(), bounds.end())] {
                                return std::make_unique<Histogram>(bounds);
                              });
}

CallbackFamily& MetricRegistry::AddCallback(std::string name, std::string help,
                                            CallbackFamily::Kind kind,
                                            std::vector<std::string> label_names) {
  return Add<CallbackFamily>(std::move(name), std::move(help), std::move(label_names), kind);
}

std::string MetricRegistry::TextExposition() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const std::unique_ptr<MetricFamily>& family : families_) {
    absl::StrAppend(&out, "# HELP ", family->name(), " ", EscapeHelp(family->help()), "\n");
    absl::StrAppend(&out, "# TYPE ", family->name(), " ", family->type(), "\n");
    family->AppendSamples(out);
  }
  return out;
}

}  // namespace velknee
