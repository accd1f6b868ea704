#include "clients/cli/finding_questions.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/region_questions.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"

namespace velknee::cli {
namespace {

using common::v1::BodyRegion;
using common::v1::MuscleFinding;
using common::v1::Side;

std::vector<Choice> FindingKindChoices() {
  std::vector<Choice> choices;
  for (MuscleFinding::Kind kind : AllFindingKinds()) {
    choices.push_back({kind, FindingKindInPlainWords(kind), {}});
  }
  return choices;
}

}  // namespace

absl::StatusOr<std::vector<MuscleFinding>> AskFindings(
    Prompter& prompter, const google::protobuf::FieldDescriptor& list_field) {
  const NumberRange severity_range = RangeOf(FieldOf(*MuscleFinding::descriptor(), "severity"));
  std::vector<MuscleFinding> findings;
  while (findings.size() < MaxItemsOf(list_field)) {
    VELKNEE_ASSIGN_OR_RETURN(
        bool another,
        prompter.AskYesNo(findings.empty() ? "Record a finding?" : "Record another finding?"));
    if (!another) break;
    MuscleFinding finding;
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> region,
                             prompter.AskOne("Which region?", RegionChoices(), Blank::kNotAllowed));
    finding.mutable_region()->set_region(static_cast<BodyRegion>(*region));
    VELKNEE_ASSIGN_OR_RETURN(Side side, AskSide(prompter, finding.region().region()));
    finding.mutable_region()->set_side(side);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> kind,
        prompter.AskOne("What did you find?", FindingKindChoices(), Blank::kNotAllowed));
    finding.set_kind(static_cast<MuscleFinding::Kind>(*kind));
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> severity,
        prompter.AskNumber(absl::StrCat("Severity, ", severity_range.min, " (mild) to ",
                                        severity_range.max, " (severe):"),
                           severity_range.min, severity_range.max, Blank::kNotAllowed));
    finding.set_severity(*severity);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> refers_to,
                             prompter.AskOne("Does it refer pain to another region? Which one?",
                                             RegionChoices(), Blank::kAllowed));
    if (refers_to.has_value()) {
      finding.mutable_refers_to()->set_region(static_cast<BodyRegion>(*refers_to));
      VELKNEE_ASSIGN_OR_RETURN(Side refers_side, AskSide(prompter, finding.refers_to().region()));
      finding.mutable_refers_to()->set_side(refers_side);
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace velknee::cli
