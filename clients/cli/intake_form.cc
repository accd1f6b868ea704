#include "clients/cli/intake_form.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/finding_questions.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/region_questions.h"
#include "common/screening/screening_rules.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"

namespace velknee::cli {
namespace {

using common::v1::Condition;
using common::v1::MuscleFinding;
using common::v1::Region;
using intake::v1::Assessment;
using intake::v1::Pain;

// The contract's fields (assessment.proto), whose declared rules are checked while the client
// is here.
const google::protobuf::FieldDescriptor& AssessmentField(absl::string_view name) {
  return FieldOf(*Assessment::descriptor(), name);
}
const google::protobuf::FieldDescriptor& PainField(absl::string_view name) {
  return FieldOf(*Pain::descriptor(), name);
}

// A list of short texts, as long and as many as `field` holds.
absl::StatusOr<std::vector<std::string>> AskTextList(
    Prompter& prompter, absl::string_view question,
    const google::protobuf::FieldDescriptor& field) {
  return prompter.AskList(question, MaxCharsOf(field), MaxItemsOf(field));
}

std::vector<Choice> PriorCareChoices() {
  std::vector<Choice> choices;
  for (intake::v1::PriorCare care : AllPriorCare()) {
    choices.push_back({care, PriorCareInPlainWords(care), {}});
  }
  return choices;
}

std::vector<Choice> OnsetChoices() {
  return {{Pain::ONSET_GRADUAL, "gradually", {"gradual", "g"}},
          {Pain::ONSET_SUDDEN, "suddenly", {"sudden", "s"}}};
}

// Whether the health screen asks where a condition is: when the flag must
// name its regions, or when a restriction of the condition (also one that
// applies after a medical clearance) is limited to the flagged regions.
bool ConditionTakesRegions(const ScreeningRule& rule) {
  if (rule.needs_regions) return true;
  for (const auto* restrictions : {&rule.restrictions, &rule.cleared_restrictions}) {
    for (const RestrictionRule& restriction : *restrictions) {
      if (restriction.scope == RegionScope::kFlagged ||
          restriction.scope == RegionScope::kFlaggedAndLowerLimbs) {
        return true;
      }
    }
  }
  return false;
}

bool IsRedFlag(Condition condition) {
  const ScreeningRule* rule = FindScreeningRule(condition);
  return rule != nullptr && rule->red_flag;
}

absl::Status AskComplaintAndPain(Prompter& prompter, const google::type::Date& today,
                                 Assessment& assessment) {
  prompter.Say("\n== Complaint and pain ==");
  VELKNEE_ASSIGN_OR_RETURN(
      std::string complaint,
      prompter.AskText("Chief complaint, in the client's own words:", Blank::kNotAllowed,
                       AssessmentField("chief_complaint")));
  assessment.set_chief_complaint(complaint);

  Pain& pain = *assessment.mutable_pain();
  VELKNEE_ASSIGN_OR_RETURN(std::vector<Region> regions,
                           AskRegions(prompter, "Where does it hurt?", Blank::kNotAllowed));
  for (Region& region : regions) *pain.add_regions() = std::move(region);

  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> current,
      prompter.AskNumber(
          "Pain now, 0 (none) to 10 (worst imaginable):", RangeOf(PainField("current")).min,
          RangeOf(PainField("current")).max, Blank::kNotAllowed));
  pain.set_current(*current);
  // Worst and least are bounded by the pain now: an answer outside that
  // range is usually a slip, and is explained with the range it must be in.
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> worst,
      prompter.AskNumber(absl::StrCat("Worst pain, ", *current, "-",
                                      RangeOf(PainField("worst")).max, " (empty to skip):"),
                         *current, RangeOf(PainField("worst")).max, Blank::kAllowed));
  if (worst.has_value()) pain.set_worst(*worst);
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> best,
      prompter.AskNumber(absl::StrCat("Least pain, ", RangeOf(PainField("best")).min, "-", *current,
                                      " (empty to skip):"),
                         RangeOf(PainField("best")).min, *current, Blank::kAllowed));
  if (best.has_value()) pain.set_best(*best);

  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> onset,
      prompter.AskOne("How did the pain begin?", OnsetChoices(), Blank::kAllowed));
  if (onset.has_value()) pain.set_onset(static_cast<Pain::Onset>(*onset));
  VELKNEE_ASSIGN_OR_RETURN(std::optional<google::type::Date> onset_date,
                           prompter.AskDate("When did it begin?", Blank::kAllowed, today));
  if (onset_date.has_value()) *pain.mutable_onset_date() = *onset_date;

  VELKNEE_ASSIGN_OR_RETURN(std::vector<std::string> aggravating,
                           AskTextList(prompter, "What makes it worse (activities)?",
                                       PainField("aggravating_activities")));
  for (std::string& item : aggravating) {
    pain.add_aggravating_activities(std::move(item));
  }
  VELKNEE_ASSIGN_OR_RETURN(
      std::vector<std::string> easing,
      AskTextList(prompter, "What makes it better?", PainField("easing_factors")));
  for (std::string& item : easing) pain.add_easing_factors(std::move(item));
  return absl::OkStatus();
}

absl::Status AskHistory(Prompter& prompter, Assessment& assessment) {
  prompter.Say("\n== History ==");
  VELKNEE_ASSIGN_OR_RETURN(std::vector<int> prior_care,
                           prompter.AskSeveral("What has the client already tried for it?",
                                               PriorCareChoices(), Blank::kAllowed));
  for (int care : prior_care) {
    assessment.add_prior_care(static_cast<intake::v1::PriorCare>(care));
  }
  VELKNEE_ASSIGN_OR_RETURN(std::vector<std::string> medications,
                           AskTextList(prompter, "Medications the client takes (name and dose)?",
                                       AssessmentField("medications")));
  for (std::string& item : medications) {
    assessment.add_medications(std::move(item));
  }
  return absl::OkStatus();
}

absl::Status AskHealthScreen(Prompter& prompter, const google::type::Date& today,
                             Assessment& assessment) {
  prompter.Say(
      "\n== Health screen ==\nAsk the client each question and answer y or "
      "n.");
  for (Condition condition : AllConditions()) {
    VELKNEE_ASSIGN_OR_RETURN(bool applies, prompter.AskYesNo(ConditionQuestion(condition)));
    if (!applies) continue;
    intake::v1::ConditionFlag& flag = *assessment.add_conditions();
    flag.set_condition(condition);
    const ScreeningRule* rule = FindScreeningRule(condition);
    if (rule != nullptr && ConditionTakesRegions(*rule)) {
      const bool needed = rule->needs_regions;
      VELKNEE_ASSIGN_OR_RETURN(
          std::vector<Region> regions,
          AskRegions(prompter, needed ? "Where?" : "Where? (empty if it is not in one place)",
                     needed ? Blank::kNotAllowed : Blank::kAllowed));
      for (Region& region : regions) *flag.add_regions() = std::move(region);
    }
    if (condition == common::v1::CONDITION_RECENT_SURGERY) {
      VELKNEE_ASSIGN_OR_RETURN(std::optional<google::type::Date> since,
                               prompter.AskDate("Date of the surgery?", Blank::kNotAllowed, today));
      *flag.mutable_since() = *since;
    }
    VELKNEE_ASSIGN_OR_RETURN(
        std::string details,
        prompter.AskText("Details (empty to skip):", Blank::kAllowed,
                         FieldOf(*intake::v1::ConditionFlag::descriptor(), "details")));
    flag.set_details(details);
  }
  // Every question was asked and answered: an empty list now means "none".
  assessment.set_health_screen_completed(true);
  return absl::OkStatus();
}

absl::Status AskMedicalClearance(Prompter& prompter, const google::type::Date& today,
                                 Assessment& assessment) {
  std::vector<std::string> red_flags;
  for (const intake::v1::ConditionFlag& flag : assessment.conditions()) {
    if (IsRedFlag(flag.condition())) {
      red_flags.push_back(std::string(ConditionInPlainWords(flag.condition())));
    }
  }
  if (red_flags.empty()) return absl::OkStatus();
  prompter.Say(absl::StrCat("\n== Medical clearance ==\nRed flag: ", absl::StrJoin(red_flags, "; "),
                            ". Without a physician's clearance the screening refers the client "
                            "out."));
  VELKNEE_ASSIGN_OR_RETURN(
      bool cleared,
      prompter.AskYesNo("Has a physician cleared the client for massage despite this?"));
  if (!cleared) return absl::OkStatus();
  intake::v1::MedicalClearance& clearance = *assessment.mutable_medical_clearance();
  VELKNEE_ASSIGN_OR_RETURN(
      std::string cleared_by,
      prompter.AskText("Cleared by (the physician's name):", Blank::kNotAllowed,
                       FieldOf(*intake::v1::MedicalClearance::descriptor(), "cleared_by")));
  clearance.set_cleared_by(cleared_by);
  VELKNEE_ASSIGN_OR_RETURN(std::optional<google::type::Date> date,
                           prompter.AskDate("Date of the clearance?", Blank::kNotAllowed, today));
  *clearance.mutable_clearance_date() = *date;
  return absl::OkStatus();
}

absl::Status AskPalpationFindings(Prompter& prompter, Assessment& assessment) {
  prompter.Say("\n== Palpation findings ==");
  VELKNEE_ASSIGN_OR_RETURN(std::vector<MuscleFinding> findings,
                           AskFindings(prompter, AssessmentField("findings")));
  for (MuscleFinding& finding : findings) *assessment.add_findings() = std::move(finding);
  return absl::OkStatus();
}

absl::Status AskGoalsAndConsent(Prompter& prompter, Assessment& assessment) {
  prompter.Say("\n== Goals ==");
  VELKNEE_ASSIGN_OR_RETURN(
      std::vector<std::string> goals,
      AskTextList(prompter, "The client's goals, in their own words?", AssessmentField("goals")));
  for (std::string& goal : goals) assessment.add_goals(std::move(goal));
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> lefs,
      AskInRange(prompter, "LEFS score", AssessmentField("lefs_score"),
                 " (80 = no limitation; empty if not taken)", Blank::kAllowed));
  if (lefs.has_value()) assessment.set_lefs_score(*lefs);

  prompter.Say("\n== Consent ==");
  VELKNEE_ASSIGN_OR_RETURN(bool consent,
                           prompter.AskYesNo("Has the client given informed consent to assessment "
                                             "and treatment?"));
  if (!consent) return absl::OkStatus();
  assessment.mutable_consent()->set_informed_consent(true);
  VELKNEE_ASSIGN_OR_RETURN(
      std::string signer,
      prompter.AskText("Signed by (the client's or guardian's full name):", Blank::kNotAllowed,
                       FieldOf(*intake::v1::Consent::descriptor(), "signer_name")));
  assessment.mutable_consent()->set_signer_name(signer);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Assessment> TakeIntakeForm(Prompter& prompter, const google::type::Date& today) {
  Assessment assessment;
  prompter.Say("Intake assessment. Answer each question and press Enter.");
  VELKNEE_RETURN_IF_ERROR(AskComplaintAndPain(prompter, today, assessment));
  VELKNEE_RETURN_IF_ERROR(AskHistory(prompter, assessment));
  VELKNEE_RETURN_IF_ERROR(AskHealthScreen(prompter, today, assessment));
  VELKNEE_RETURN_IF_ERROR(AskMedicalClearance(prompter, today, assessment));
  VELKNEE_RETURN_IF_ERROR(AskPalpationFindings(prompter, assessment));
  VELKNEE_RETURN_IF_ERROR(AskGoalsAndConsent(prompter, assessment));
  prompter.Say("\nForm complete.");
  return assessment;
}

}  // namespace velknee::cli
