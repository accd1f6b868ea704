#include "clients/cli/restriction_failure.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/error_line.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/technique_questions.h"
#include "common/screening/restriction_check.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "velknee/common/v1/error_details.pb.h"

namespace velknee::cli {
namespace {

// The summary the server puts in the ErrorInfo metadata; the whole message when it sent none.
// The message itself is never taken apart: its wording is the server's to change.
std::string Summary(const grpc::Status& status) {
  for (const google::rpc::ErrorInfo& info : DetailsOf<google::rpc::ErrorInfo>(status)) {
    const auto summary = info.metadata().find(std::string(kBreachSummaryKey));
    if (summary != info.metadata().end() && !summary->second.empty()) return summary->second;
  }
  return status.error_message();
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
