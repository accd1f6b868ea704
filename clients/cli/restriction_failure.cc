#include "clients/cli/restriction_failure.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/cli/error_line.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"

namespace velknee::cli {
namespace {

// "applied[3]" -> 3 for `field` "applied".
std::optional<int> WorkIndex(absl::string_view subject, absl::string_view field) {
  if (!absl::ConsumePrefix(&subject, field) || !absl::ConsumePrefix(&subject, "[") ||
      !absl::ConsumeSuffix(&subject, "]")) {
    return std::nullopt;
  }
  int index = 0;
  if (!absl::SimpleAtoi(subject, &index) || index < 0) return std::nullopt;
  return index;
}

// From a breach description as the server writes it,
//   applied[0] (<the work>) breaks "<the rule>" [<CONDITION>]
// the work and the rule; nullopt for any other shape.
struct BreachParts {
  std::string work;
  std::string rule;
};

std::optional<BreachParts> ParseBreach(absl::string_view subject, absl::string_view description) {
  constexpr absl::string_view kBreaks = ") breaks \"";
  if (!absl::ConsumePrefix(&description, subject) || !absl::ConsumePrefix(&description, " (")) {
    return std::nullopt;
  }
  const size_t breaks = description.rfind(kBreaks);
  const size_t rule_end = description.rfind("\" [");
  if (breaks == absl::string_view::npos || rule_end == absl::string_view::npos ||
      rule_end < breaks + kBreaks.size()) {
    return std::nullopt;
  }
  const size_t rule_start = breaks + kBreaks.size();
  return BreachParts{std::string(description.substr(0, breaks)),
                     std::string(description.substr(rule_start, rule_end - rule_start))};
}

}  // namespace

std::string RestrictionFailureText(const grpc::Status& status, absl::string_view field,
                                   const std::vector<std::string>& work) {
  std::vector<std::string> breaches;
  std::vector<std::string> descriptions;
  bool only_breaches = false;
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::PreconditionFailure failure;
    if (!any.UnpackTo(&failure)) continue;
    only_breaches = failure.violations_size() > 0;
    for (const google::rpc::PreconditionFailure::Violation& v : failure.violations()) {
      const std::optional<int> index = WorkIndex(v.subject(), field);
      const std::optional<BreachParts> parts = ParseBreach(v.subject(), v.description());
      if (v.type() != "RESTRICTION" || !index.has_value() || !parts.has_value()) {
        only_breaches = false;
        break;
      }
      const std::string& words =
          *index < static_cast<int>(work.size()) ? work[*index] : parts->work;
      breaches.push_back(
          absl::StrCat("  ", v.subject(), " ", words, " \xE2\x80\x94 blocked by: ", parts->rule));
      descriptions.push_back(v.description());
    }
    if (!only_breaches) break;
  }
  if (!only_breaches || breaches.empty()) return absl::StrCat(ErrorLine(status), "\n");
  // The server's message is its summary followed by the same descriptions;
  // the lines below say them better, so the first line keeps the summary.
  std::string summary = status.error_message();
  const std::string said = absl::StrCat(": ", absl::StrJoin(descriptions, "; "));
  if (absl::EndsWith(summary, said)) summary.resize(summary.size() - said.size());
  std::string out = absl::StrCat(ErrorLine(grpc::Status(status.error_code(), summary)), "\n");
  for (const std::string& line : breaches) {
    // One line each, whatever the server sent.
    std::string clean = line;
    for (char& c : clean) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    absl::StrAppend(&out, clean, "\n");
  }
  return out;
}

}  // namespace velknee::cli
