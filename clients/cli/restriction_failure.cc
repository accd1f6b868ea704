#include "clients/cli/restriction_failure.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/error_line.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/technique_questions.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "velknee/common/v1/error_details.pb.h"

namespace velknee::cli {
namespace {

// The server's message is its summary followed by the PreconditionFailure
// descriptions; the breach lines say them better, so the first line keeps the
// summary. Any other message is kept whole.
std::string Summary(const grpc::Status& status) {
  std::vector<std::string> descriptions;
  for (const google::rpc::PreconditionFailure& failure :
       DetailsOf<google::rpc::PreconditionFailure>(status)) {
    for (const auto& violation : failure.violations()) {
      descriptions.push_back(violation.description());
    }
  }
  std::string summary = status.error_message();
  const std::string said = absl::StrCat(": ", absl::StrJoin(descriptions, "; "));
  if (!descriptions.empty() && absl::EndsWith(summary, said)) {
    summary.resize(summary.size() - said.size());
  }
  return summary;
}

}  // namespace

std::string RestrictionFailureText(const grpc::Status& status) {
  const std::vector<common::v1::RestrictionBreach> breaches =
      DetailsOf<common::v1::RestrictionBreach>(status);
  if (breaches.empty()) return absl::StrCat(ErrorLine(status), "\n");
  std::string out =
      absl::StrCat(ErrorLine(grpc::Status(status.error_code(), Summary(status))), "\n");
  for (const common::v1::RestrictionBreach& breach : breaches) {
    const TechniqueUse work{breach.technique(), &breach.regions(), breach.pressure()};
    absl::StrAppend(&out, "  ",
                    OneLine(absl::StrCat(breach.field(), " ", TechniqueUseInPlainWords(work),
                                         " \xE2\x80\x94 blocked by: ",
                                         RestrictionInPlainWords(breach.restriction()))),
                    "\n");
  }
  return out;
}

}  // namespace velknee::cli
