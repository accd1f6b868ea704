#include "services/intake/assessment_validation.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/screening/screening_rules.h"
#include "common/status/errors.h"
#include "common/validation/clinical.h"
#include "common/validation/fields.h"

namespace velknee::intake {
namespace {

constexpr size_t kMaxItemChars = 200;
// assessment.proto: signer_name and cleared_by are 1..200 characters, goals at most 500
// characters, condition details at most 1 KiB.
constexpr size_t kMaxNameChars = 200;
constexpr size_t kMaxGoalChars = 500;
constexpr size_t kMaxDetailsBytes = 1024;

// A date that, when set, is real and not in the future.
void CheckDateUpTo(const google::type::Date& date, absl::string_view field, absl::CivilDay today,
                   FieldViolations& violations) {
  if (!IsRealDate(date)) {
    violations.Add(field, "must be a real calendar date (year, month and day)");
  } else if (ToCivilDay(date) > today) {
    violations.Add(field, "must not be in the future");
  }
}

void CheckRegions(const google::protobuf::RepeatedPtrField<common::v1::Region>& regions,
                  absl::string_view field, FieldViolations& violations) {
  CheckListSize(regions.size(), field, violations);
  for (int i = 0; i < regions.size() && i < kMaxListItems; ++i) {
    CheckRegion(regions[i], absl::StrCat(field, "[", i, "]"), violations);
  }
}

void CheckPain(const v1::Pain& pain, absl::CivilDay today, FieldViolations& violations) {
  CheckRegions(pain.regions(), "assessment.pain.regions", violations);
  if (pain.has_current()) CheckNprs(pain.current(), "assessment.pain.current", violations);
  if (pain.has_worst()) CheckNprs(pain.worst(), "assessment.pain.worst", violations);
  if (pain.has_best()) CheckNprs(pain.best(), "assessment.pain.best", violations);
  if (pain.has_worst() && pain.has_best() && pain.best() > pain.worst()) {
    violations.Add("assessment.pain.best", "must not be above pain.worst");
  }
  if (pain.has_onset_date()) {
    CheckDateUpTo(pain.onset_date(), "assessment.pain.onset_date", today, violations);
  }
  if (pain.onset() != v1::Pain::ONSET_UNSPECIFIED && !v1::Pain::Onset_IsValid(pain.onset())) {
    violations.Add("assessment.pain.onset", "must be GRADUAL or SUDDEN");
  }
  CheckShortTextList(pain.aggravating_activities(), "assessment.pain.aggravating_activities",
                     kMaxItemChars, violations);
  CheckShortTextList(pain.easing_factors(), "assessment.pain.easing_factors", kMaxItemChars,
                     violations);
}

void CheckConditions(const v1::Assessment& assessment, absl::CivilDay today,
                     FieldViolations& violations) {
  CheckListSize(assessment.conditions_size(), "assessment.conditions", violations);
  for (int i = 0; i < assessment.conditions_size() && i < kMaxListItems; ++i) {
    const v1::ConditionFlag& flag = assessment.conditions(i);
    const std::string field = absl::StrCat("assessment.conditions[", i, "]");
    CheckEnum(flag.condition(), common::v1::Condition_IsValid, field + ".condition", violations);
    CheckRegions(flag.regions(), field + ".regions", violations);
    const ScreeningRule* rule = FindScreeningRule(flag.condition());
    if (rule != nullptr && rule->needs_regions && flag.regions().empty()) {
      violations.Add(field + ".regions", absl::StrCat("must name the affected regions for ",
                                                      ConditionInPlainWords(flag.condition())));
    }
    if (flag.has_since()) {
      CheckDateUpTo(flag.since(), field + ".since", today, violations);
    } else if (rule != nullptr && rule->counts_within_days > 0) {
      violations.Add(field + ".since",
                     absl::StrCat("is required for ", ConditionInPlainWords(flag.condition()),
                                  " (it counts only within ", rule->counts_within_days, " days)"));
    }
    for (int j = 0; j < i; ++j) {
      if (flag.condition() != common::v1::CONDITION_UNSPECIFIED &&
          assessment.conditions(j).condition() == flag.condition()) {
        violations.Add(field + ".condition",
                       absl::StrCat("is already listed at assessment.conditions[", j, "]"));
        break;
      }
    }
    if (flag.details().size() > kMaxDetailsBytes) {
      violations.Add(field + ".details",
                     absl::StrCat("must be at most ", kMaxDetailsBytes, " bytes"));
    } else {
      CheckText(flag.details(), field + ".details", 0, 0, true, violations);
    }
  }
  const v1::MedicalClearance& clearance = assessment.medical_clearance();
  if (assessment.has_medical_clearance()) {
    CheckText(clearance.cleared_by(), "assessment.medical_clearance.cleared_by", 1, kMaxNameChars,
              false, violations);
    if (!clearance.has_clearance_date()) {
      violations.Add("assessment.medical_clearance.clearance_date", "is required");
    } else {
      CheckDateUpTo(clearance.clearance_date(), "assessment.medical_clearance.clearance_date",
                    today, violations);
    }
  }
}

void CheckFindings(const v1::Assessment& assessment, FieldViolations& violations) {
  CheckListSize(assessment.findings_size(), "assessment.findings", violations);
  for (int i = 0; i < assessment.findings_size() && i < kMaxListItems; ++i) {
    CheckMuscleFinding(assessment.findings(i), absl::StrCat("assessment.findings[", i, "]"),
                       violations);
  }
}

}  // namespace

absl::Status ValidateAssessment(v1::Assessment& assessment, absl::CivilDay today) {
  FieldViolations violations;
  absl::StripAsciiWhitespace(assessment.mutable_chief_complaint());
  absl::StripAsciiWhitespace(assessment.mutable_consent()->mutable_signer_name());
  if (assessment.consent().signer_name().empty() && !assessment.consent().informed_consent() &&
      !assessment.consent().has_sign_time()) {
    assessment.clear_consent();
  }
  if (assessment.medical_clearance().cleared_by().empty() &&
      !assessment.medical_clearance().has_clearance_date()) {
    assessment.clear_medical_clearance();
  }
  CheckText(assessment.chief_complaint(), "assessment.chief_complaint", 0, 0, true, violations);
  CheckPain(assessment.pain(), today, violations);
  CheckListSize(assessment.prior_care_size(), "assessment.prior_care", violations);
  for (int i = 0; i < assessment.prior_care_size() && i < kMaxListItems; ++i) {
    CheckEnum(assessment.prior_care(i), v1::PriorCare_IsValid,
              absl::StrCat("assessment.prior_care[", i, "]"), violations);
  }
  CheckShortTextList(assessment.medications(), "assessment.medications", kMaxItemChars, violations);
  CheckConditions(assessment, today, violations);
  CheckFindings(assessment, violations);
  CheckListSize(assessment.goals_size(), "assessment.goals", violations);
  for (int i = 0; i < assessment.goals_size() && i < kMaxListItems; ++i) {
    CheckText(assessment.goals(i), absl::StrCat("assessment.goals[", i, "]"), 1, kMaxGoalChars,
              true, violations);
  }
  if (assessment.has_lefs_score() &&
      (assessment.lefs_score() < 0 || assessment.lefs_score() > 80)) {
    violations.Add("assessment.lefs_score", "must be between 0 and 80");
  }
  CheckText(assessment.consent().signer_name(), "assessment.consent.signer_name", 0, kMaxNameChars,
            false, violations);
  return violations.ToStatus();
}

absl::Status CheckReadyToSubmit(const v1::Assessment& assessment) {
  std::vector<PreconditionViolation> missing;
  const auto require = [&missing](bool present, absl::string_view field, absl::string_view what) {
    if (!present) {
      missing.push_back({"MISSING", std::string(field), absl::StrCat("needs ", what)});
    }
  };
  require(!assessment.chief_complaint().empty(), "assessment.chief_complaint", "a chief complaint");
  require(!assessment.pain().regions().empty(), "assessment.pain.regions",
          "at least one pain region");
  require(assessment.pain().has_current(), "assessment.pain.current",
          "the current pain score (pain.current)");
  require(assessment.health_screen_completed(), "assessment.health_screen_completed",
          "the completed health screen (every condition asked)");
  require(assessment.consent().informed_consent() && !assessment.consent().signer_name().empty(),
          "assessment.consent", "informed consent with the signer's name");
  if (missing.empty()) return absl::OkStatus();
  return PreconditionFailed("ASSESSMENT_INCOMPLETE",
                            absl::StrCat(assessment.name(), " cannot be submitted yet"), missing);
}

}  // namespace velknee::intake
