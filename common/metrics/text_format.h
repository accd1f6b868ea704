#ifndef VELKNEE_COMMON_METRICS_TEXT_FORMAT_H_
#define VELKNEE_COMMON_METRICS_TEXT_FORMAT_H_

// The pieces of Prometheus' text exposition format (version 0.0.4): escaping, number
// formatting and sample lines, as https://prometheus.io/docs/instrumenting/exposition_formats/
// defines them.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace velknee {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool IsValidMetricName(absl::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved for Prometheus) and not "le" (the
// histogram bucket label).
bool IsValidLabelName(absl::string_view name);

// A label value between double quotes: backslash, double quote and line feed escaped.
std::string EscapeLabelValue(absl::string_view value);
// A HELP line's text: backslash and line feed escaped.
std::string EscapeHelp(absl::string_view help);

// The shortest text that reads back as `value`: "3", "0.005", "1e+21", "+Inf", "-Inf", "NaN".
std::string FormatSampleValue(double value);

// Appends `name{label="value",...} value\n`; `le`, when not empty, is added as the last label
// (a histogram bucket's bound). Without labels, `name value\n`.
void AppendSample(std::string& out, absl::string_view name,
                  const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, double value,
                  absl::string_view le = {});

}  // namespace velknee

#endif  // VELKNEE_COMMON_METRICS_TEXT_FORMAT_H_
