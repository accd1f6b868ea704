#ifndef VELKNEE_CLIENTS_CLI_REGION_QUESTIONS_H_
#define VELKNEE_CLIENTS_CLI_REGION_QUESTIONS_H_

// The body-region questions the guided forms share (where it hurts, where a
// condition is, where a technique goes): a numbered list of regions, then
// the side of each one.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/prompter.h"
#include "velknee/common/v1/region.pb.h"

namespace velknee::cli {

// Every body region, in proto order, as a numbered list.
std::vector<Choice> RegionChoices();

// "Which side: <region>?" with left / right / both sides.
absl::StatusOr<common::v1::Side> AskSide(Prompter& prompter, common::v1::BodyRegion region);

// Several regions, then the side of each one. Empty only when `blank` allows
// it. Errors as Prompter's.
absl::StatusOr<std::vector<common::v1::Region>> AskRegions(Prompter& prompter,
                                                           absl::string_view question, Blank blank);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_REGION_QUESTIONS_H_
