#include "services/intake/assessment_validation.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/screening/screening_rules.h"
#include "common/status/errors.h"
#include "common/validation/field_rules.h"
#include "common/validation/fields.h"

namespace velknee::intake {
namespace {

// A date that, when set, is real and not in the future.
void CheckDateUpTo(const google::type::Date& date, absl::string_view field, absl::CivilDay today,
                   FieldViolations& violations) {
  if (!IsRealDate(date)) {
    violations.Add(field, "must be a real calendar date (year, month and day)");
  } else if (ToCivilDay(date) > today) {
    violations.Add(field, "must not be in the future");
  }
}

void CheckPain(const v1::Pain& pain, absl::CivilDay today, const std::vector<std::string>& bad,
               FieldViolations& violations) {
  if (pain.has_worst() && pain.has_best() && pain.best() > pain.worst() &&
      !AnyBadUnder(bad, "assessment.pain.best") && !AnyBadUnder(bad, "assessment.pain.worst")) {
    violations.Add("assessment.pain.best", "must not be above pain.worst");
  }
  if (pain.has_onset_date()) {
    CheckDateUpTo(pain.onset_date(), "assessment.pain.onset_date", today, violations);
  }
}

// What the screening table needs of each flag, and each condition at most once.
void CheckConditions(const v1::Assessment& assessment, absl::CivilDay today,
                     const std::vector<std::string>& bad, FieldViolations& violations) {
  // A list over its size has no item worth reading.
  if (std::find(bad.begin(), bad.end(), "assessment.conditions") != bad.end()) return;
  for (int i = 0; i < assessment.conditions_size(); ++i) {
    const v1::ConditionFlag& flag = assessment.conditions(i);
    const std::string field = absl::StrCat("assessment.conditions[", i, "]");
    if (AnyBadUnder(bad, field)) continue;
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
      if (assessment.conditions(j).condition() == flag.condition()) {
        violations.Add(field + ".condition",
                       absl::StrCat("is already listed at assessment.conditions[", j, "]"));
        break;
      }
    }
  }
}

}  // namespace

absl::Status ValidateAssessment(v1::Assessment& assessment, absl::CivilDay today) {
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
  FieldViolations violations;
  const std::vector<std::string> bad = CheckFieldRules(assessment, "assessment", violations);
  CheckPain(assessment.pain(), today, bad, violations);
  CheckConditions(assessment, today, bad, violations);
  const v1::MedicalClearance& clearance = assessment.medical_clearance();
  if (clearance.has_clearance_date()) {
    CheckDateUpTo(clearance.clearance_date(), "assessment.medical_clearance.clearance_date", today,
                  violations);
  }
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
