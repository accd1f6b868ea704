#include "tools/bench/report.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace velknee::bench {
namespace {

const Row* RowNamed(const Report& report, absl::string_view name) {
  for (const Row& row : report.rows) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string ErrorsText(const LoadResult& result) {
  std::vector<std::string> parts;
  for (const auto& [code, n] : result.errors) parts.push_back(absl::StrCat(CodeName(code), " ", n));
  return absl::StrJoin(parts, ", ");
}

void AddRatio(Report& report, const Row& row, const Row& ceiling, double target) {
  if (ceiling.result.PerSecond() <= 0) return;
  report.checks.push_back({absl::StrCat(row.name, " / ", ceiling.name, " (calls/s)"),
                           row.result.PerSecond() / ceiling.result.PerSecond(), target, true, "x"});
}

void AddP99(Report& report, const Row& row, double target_ms) {
  report.checks.push_back(
      {absl::StrCat(row.name, " p99"), CheckedP99Ms(row.result), target_ms, false, "ms"});
}

// 0.52x, 4.10 ms, 87.3 MB.
std::string WithUnit(double value, absl::string_view unit) {
  return unit == "x" ? absl::StrFormat("%.2fx", value) : absl::StrFormat("%.2f %s", value, unit);
}

google::protobuf::Value Number(double n) {
  google::protobuf::Value value;
  value.set_number_value(n);
  return value;
}

google::protobuf::Value Text(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  return value;
}

google::protobuf::Value Bool(bool b) {
  google::protobuf::Value value;
  value.set_bool_value(b);
  return value;
}

}  // namespace

double CheckedP99Ms(const LoadResult& result) {
  if (result.ErrorCount() > 0 || result.succeeded == 0) {
    return std::numeric_limits<double>::infinity();
  }
  return result.PercentileMs(0.99);
}

uint64_t Report::ErrorCount() const {
  uint64_t count = 0;
  for (const Row& row : rows) count += row.result.ErrorCount();
  return count;
}

bool Report::AllMet() const {
  for (const Check& check : checks) {
    if (!check.met()) return false;
  }
  return true;
}

void AddThroughputChecks(Report& report) {
  const Row* echo = RowNamed(report, kEchoRow);
  const Row* sqlite = RowNamed(report, kSqliteRow);
  if (const Row* read = RowNamed(report, "get-client")) {
    if (echo != nullptr) AddRatio(report, *read, *echo, Targets::kReadVsEchoAtLeast);
    AddP99(report, *read, Targets::kReadP99MsAtMost);
  }
  if (const Row* write = RowNamed(report, "create-client")) {
    if (sqlite != nullptr) AddRatio(report, *write, *sqlite, Targets::kWriteVsSqliteAtLeast);
    AddP99(report, *write, Targets::kWriteP99MsAtMost);
  }
}

std::string TableText(const Report& report) {
  std::string out;
  for (const auto& [key, value] : report.setup)
    absl::StrAppendFormat(&out, "%-16s %s\n", key, value);
  absl::StrAppendFormat(&out, "\n%-26s %10s %9s %9s %9s %9s %9s %9s  %s\n", "workload", "calls/s",
                        "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "errors", "gen cores",
                        "one operation");
  for (const Row& row : report.rows) {
    const LoadResult& r = row.result;
    absl::StrAppendFormat(&out, "%-26s %10.0f %9.2f %9.2f %9.2f %9.2f %9d %9.2f  %s\n", row.name,
                          r.PerSecond(), r.PercentileMs(0.5), r.PercentileMs(0.9),
                          r.PercentileMs(0.99), r.PercentileMs(0.999), r.ErrorCount(),
                          r.generator_cores, row.description);
  }
  if (!report.checks.empty()) {
    absl::StrAppendFormat(&out, "\n%-44s %12s %12s  %s\n", "DESIGN §11", "measured", "target",
                          "met");
    for (const Check& check : report.checks) {
      absl::StrAppendFormat(&out, "%-44s %12s %s %9s  %s\n", check.name,
                            WithUnit(check.measured, check.unit),
                            check.at_least ? ">=" : "<=", WithUnit(check.target, check.unit),
                            check.met() ? "yes" : "NO");
    }
  }
  for (const std::string& note : report.notes) absl::StrAppend(&out, "\n", note);
  if (!report.notes.empty()) absl::StrAppend(&out, "\n");
  if (report.ErrorCount() > 0) {
    absl::StrAppend(&out, "\n!!! ", report.ErrorCount(),
                    " CALLS FAILED: the numbers above are not a clean measurement !!!\n");
    for (const Row& row : report.rows) {
      if (row.result.ErrorCount() == 0) continue;
      absl::StrAppendFormat(&out, "!!! %s: %s; first: %s\n", row.name, ErrorsText(row.result),
                            row.result.first_error);
    }
  }
  return out;
}

std::string JsonText(const Report& report) {
  google::protobuf::Struct root;
  auto& fields = *root.mutable_fields();
  google::protobuf::Struct setup;
  for (const auto& [key, value] : report.setup) (*setup.mutable_fields())[key] = Text(value);
  *fields["setup"].mutable_struct_value() = setup;
  google::protobuf::ListValue& workloads = *fields["workloads"].mutable_list_value();
  for (const Row& row : report.rows) {
    const LoadResult& r = row.result;
    google::protobuf::Struct entry;
    auto& e = *entry.mutable_fields();
    e["name"] = Text(row.name);
    e["description"] = Text(row.description);
    e["calls_per_second"] = Number(r.PerSecond());
    e["succeeded"] = Number(static_cast<double>(r.succeeded));
    e["seconds"] = Number(r.seconds);
    e["p50_ms"] = Number(r.PercentileMs(0.5));
    e["p90_ms"] = Number(r.PercentileMs(0.9));
    e["p99_ms"] = Number(r.PercentileMs(0.99));
    e["p999_ms"] = Number(r.PercentileMs(0.999));
    google::protobuf::Struct errors;
    for (const auto& [code, n] : r.errors) {
      (*errors.mutable_fields())[CodeName(code)] = Number(static_cast<double>(n));
    }
    *e["errors"].mutable_struct_value() = errors;
    e["first_error"] = Text(r.first_error);
    e["generator_cores"] = Number(r.generator_cores);
    *workloads.add_values()->mutable_struct_value() = entry;
  }
  google::protobuf::ListValue& checks = *fields["checks"].mutable_list_value();
  for (const Check& check : report.checks) {
    google::protobuf::Struct entry;
    auto& e = *entry.mutable_fields();
    e["name"] = Text(check.name);
    e["measured"] = Number(check.measured);
    e["target"] = Number(check.target);
    e["at_least"] = Bool(check.at_least);
    e["unit"] = Text(check.unit);
    e["met"] = Bool(check.met());
    *checks.add_values()->mutable_struct_value() = entry;
  }
  google::protobuf::ListValue& notes = *fields["notes"].mutable_list_value();
  for (const std::string& note : report.notes) *notes.add_values() = Text(note);
  fields["errors"] = Number(static_cast<double>(report.ErrorCount()));
  fields["all_met"] = Bool(report.AllMet());
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  if (!google::protobuf::util::MessageToJsonString(root, &json, options).ok()) return "{}";
  return json;
}

}  // namespace velknee::bench
