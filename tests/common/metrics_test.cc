#include "common/metrics/metrics.h"

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/metrics/process_metrics.h"
#include "common/metrics/text_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The value of the sample line that starts with `series` (name and labels) in `text`; NaN
// and a test failure when there is none.
double SampleValue(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, series + " ")) {
      double value = 0;
      EXPECT_TRUE(absl::SimpleAtod(line.substr(series.size() + 1), &value)) << line;
      return value;
    }
  }
  ADD_FAILURE() << "no sample " << series << " in:\n" << text;
  return std::nan("");
}

TEST(MetricsTest, CounterFamilyHasHelpTypeAndOneLinePerLabelSetInOrder) {
  MetricRegistry registry;
  Family<Counter>& calls =
      registry.AddCounter("app_calls_total", "Calls made.", {"method", "code"});
  calls.WithLabels({"Get", "OK"}).Increment();
  calls.WithLabels({"Get", "OK"}).Increment(2);
  calls.WithLabels({"Create", "NotFound"}).Increment();
  EXPECT_EQ(registry.TextExposition(),
            "# HELP app_calls_total Calls made.\n"
            "# TYPE app_calls_total counter\n"
            "app_calls_total{method=\"Create\",code=\"NotFound\"} 1\n"
            "app_calls_total{method=\"Get\",code=\"OK\"} 3\n");
}

TEST(MetricsTest, AMetricWithoutLabelsIsScrapedAsZeroBeforeItsFirstEvent) {
  MetricRegistry registry;
  registry.AddCounter("app_calls_total", "Calls.");
  EXPECT_THAT(registry.TextExposition(), HasSubstr("\napp_calls_total 0\n"));
}

TEST(MetricsTest, WithLabelsGivesTheSameMetricForTheSameLabels) {
  MetricRegistry registry;
  Family<Counter>& calls = registry.AddCounter("app_calls_total", "Calls.", {"method"});
  Counter& first = calls.WithLabels({"Get"});
  first.Increment(7);
  EXPECT_EQ(&calls.WithLabels({"Get"}), &first);
  EXPECT_EQ(calls.WithLabels({"Get"}).value(), 7);
  EXPECT_NE(&calls.WithLabels({"List"}), &first);
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  MetricRegistry registry;
  registry.AddCounter("app_total", "Line one\nback\\slash \"quoted\"", {"path"})
      .WithLabels({"a\\b \"c\"\nd"})
      .Increment();
  const std::string text = registry.TextExposition();
  EXPECT_THAT(text, HasSubstr("# HELP app_total Line one\\nback\\\\slash \"quoted\"\n"));
  EXPECT_THAT(text, HasSubstr("app_total{path=\"a\\\\b \\\"c\\\"\\nd\"} 1\n"));
}

TEST(MetricsTest, HistogramHasCumulativeBucketsSumAndCount) {
  MetricRegistry registry;
  static constexpr double kBounds[] = {0.005, 0.1, 1};
  Histogram& latency =
      registry.AddHistogram("app_seconds", "Latency.", {"method"}, kBounds).WithLabels({"Get"});
  for (double seconds : {0.001, 0.005, 0.05, 0.5, 3.0}) latency.Observe(seconds);
  EXPECT_EQ(registry.TextExposition(),
            "# HELP app_seconds Latency.\n"
            "# TYPE app_seconds histogram\n"
            "app_seconds_bucket{method=\"Get\",le=\"0.005\"} 2\n"  // A bound is inclusive.
            "app_seconds_bucket{method=\"Get\",le=\"0.1\"} 3\n"
            "app_seconds_bucket{method=\"Get\",le=\"1\"} 4\n"
            "app_seconds_bucket{method=\"Get\",le=\"+Inf\"} 5\n"
            "app_seconds_sum{method=\"Get\"} 3.556\n"
            "app_seconds_count{method=\"Get\"} 5\n");
}

TEST(MetricsTest, AnUnlabelledHistogramPutsLeAlone) {
  MetricRegistry registry;
  static constexpr double kBounds[] = {1};
  registry.AddHistogram("app_size", "Size.", {}, kBounds);
  EXPECT_THAT(registry.TextExposition(), HasSubstr("\napp_size_bucket{le=\"1\"} 0\n"));
  EXPECT_THAT(registry.TextExposition(), HasSubstr("\napp_size_count 0\n"));
}

TEST(MetricsTest, CallbacksAreReadAtEachScrape) {
  MetricRegistry registry;
  double depth = 3;
  registry.AddCallback("app_depth", "Depth.", CallbackFamily::Kind::kGauge, {"queue"})
      .Add({"audit"}, [&depth] { return depth; });
  EXPECT_THAT(registry.TextExposition(), HasSubstr("# TYPE app_depth gauge\n"));
  EXPECT_EQ(SampleValue(registry.TextExposition(), "app_depth{queue=\"audit\"}"), 3);
  depth = 11;
  EXPECT_EQ(SampleValue(registry.TextExposition(), "app_depth{queue=\"audit\"}"), 11);
}

TEST(MetricsTest, FamiliesAreWrittenInTheOrderTheyWereAdded) {
  MetricRegistry registry;
  registry.AddCounter("zeta_total", "Z.");
  registry.AddCounter("alpha_total", "A.");
  const std::string text = registry.TextExposition();
  EXPECT_LT(text.find("zeta_total"), text.find("alpha_total"));
}

TEST(MetricsTest, ConcurrentIncrementsAndObservationsAreAllCounted) {
  MetricRegistry registry;
  Counter& calls = registry.AddCounter("app_calls_total", "Calls.", {"m"}).WithLabels({"Get"});
  Histogram& seconds =
      registry.AddHistogram("app_seconds", "S.", {}, LatencySecondsBuckets()).WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        calls.Increment();
        seconds.Observe(0.002);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = registry.TextExposition();
  EXPECT_EQ(SampleValue(text, "app_calls_total{m=\"Get\"}"), 40000);
  EXPECT_EQ(SampleValue(text, "app_seconds_count"), 40000);
  EXPECT_EQ(SampleValue(text, "app_seconds_bucket{le=\"0.001\"}"), 0);
  EXPECT_EQ(SampleValue(text, "app_seconds_bucket{le=\"0.0025\"}"), 40000);
}

TEST(MetricsTest, SampleValuesReadBackExactly) {
  EXPECT_EQ(FormatSampleValue(0), "0");
  EXPECT_EQ(FormatSampleValue(3), "3");
  EXPECT_EQ(FormatSampleValue(123456789), "123456789");  // Not 1.23457e+08.
  EXPECT_EQ(FormatSampleValue(0.005), "0.005");
  EXPECT_EQ(FormatSampleValue(-2.5), "-2.5");
  EXPECT_EQ(FormatSampleValue(INFINITY), "+Inf");
  EXPECT_EQ(FormatSampleValue(-INFINITY), "-Inf");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
}

TEST(MetricsTest, NamesFollowPrometheusRules) {
  EXPECT_TRUE(IsValidMetricName("grpc_server_handled_total"));
  EXPECT_TRUE(IsValidMetricName("job:rate5m"));
  EXPECT_FALSE(IsValidMetricName("5xx_total"));
  EXPECT_FALSE(IsValidMetricName("http-requests"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_TRUE(IsValidLabelName("grpc_code"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("le"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(MetricsDeathTest, ARepeatedNameIsAProgrammingError) {
  MetricRegistry registry;
  registry.AddCounter("app_total", "A.");
  EXPECT_DEATH(registry.AddHistogram("app_total", "B.", {}, LatencySecondsBuckets()),
               "registered twice");
}

TEST(MetricsDeathTest, TheWrongNumberOfLabelValuesIsAProgrammingError) {
  MetricRegistry registry;
  Family<Counter>& calls = registry.AddCounter("app_total", "A.", {"method", "code"});
  EXPECT_DEATH(calls.WithLabels({"Get"}), "1 label values for 2 labels");
}

TEST(ProcessMetricsTest, ReportTheRunningProcess) {
  MetricRegistry registry;
  AddProcessMetrics(registry);
  const std::string text = registry.TextExposition();
  EXPECT_GT(SampleValue(text, "process_resident_memory_bytes"), 1 << 20);
  EXPECT_GE(SampleValue(text, "process_virtual_memory_bytes"),
            SampleValue(text, "process_resident_memory_bytes"));
  EXPECT_GE(SampleValue(text, "process_cpu_seconds_total"), 0);
  EXPECT_GE(SampleValue(text, "process_open_fds"), 3);  // stdin, stdout, stderr at least.
  EXPECT_GE(SampleValue(text, "process_max_fds"), SampleValue(text, "process_open_fds"));
  // Started in the last day, not in the future (the test process started moments ago).
  const double now = absl::ToUnixSeconds(absl::Now());
  EXPECT_LE(SampleValue(text, "process_start_time_seconds"), now + 1);
  EXPECT_GT(SampleValue(text, "process_start_time_seconds"), now - 86400);
  EXPECT_THAT(text, Not(HasSubstr("NaN")));
}

}  // namespace
}  // namespace velknee
