#include "services/plans/plan_validation.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/screening/restriction_check.h"
#include "common/status/errors.h"
#include "common/validation/field_rules.h"
#include "common/validation/fields.h"

namespace velknee::plans {

absl::Status ValidatePlan(v1::TreatmentPlan& plan) {
  for (v1::Goal& goal : *plan.mutable_goals()) {
    absl::StripAsciiWhitespace(goal.mutable_description());
  }
  for (common::v1::HomeExercise& exercise : *plan.mutable_home_care()) {
    absl::StripAsciiWhitespace(exercise.mutable_name());
  }
  FieldViolations violations;
  const std::vector<std::string> bad = CheckFieldRules(plan, "plan", violations);
  for (int i = 0; i < plan.goals_size(); ++i) {
    const v1::Goal& goal = plan.goals(i);
    if (goal.has_target_date() && !IsRealDate(goal.target_date())) {
      violations.Add(absl::StrCat("plan.goals[", i, "].target_date"),
                     "must be a real calendar date (year, month and day)");
    }
  }
  // The sum means something only when every part keeps its own rule.
  if (plan.has_cadence() && !AnyBadUnder(bad, "plan.techniques") &&
      !AnyBadUnder(bad, "plan.cadence.session_minutes")) {
    int total_minutes = 0;
    for (const v1::PlannedTechnique& technique : plan.techniques()) {
      total_minutes += technique.minutes();
    }
    if (total_minutes > plan.cadence().session_minutes()) {
      violations.Add("plan.techniques", absl::StrCat("minutes add up to ", total_minutes,
                                                     ", more than cadence.session_minutes (",
                                                     plan.cadence().session_minutes(), ")"));
    }
  }
  return violations.ToStatus();
}

absl::Status CheckAgainstScreening(const v1::TreatmentPlan& plan) {
  return CheckAgainstRestrictions(plan.techniques(), plan.screening(), "techniques",
                                  "the plan breaks the client's screening restrictions");
}

absl::Status CheckReadyToActivate(const v1::TreatmentPlan& plan) {
  std::vector<PreconditionViolation> missing;
  if (plan.goals().empty()) missing.push_back({"MISSING", "plan.goals", "needs at least one goal"});
  if (plan.techniques().empty()) {
    missing.push_back({"MISSING", "plan.techniques", "needs at least one technique"});
  }
  if (!plan.has_cadence()) {
    missing.push_back({"MISSING", "plan.cadence", "needs a cadence (interval, sessions, minutes)"});
  }
  if (missing.empty()) return absl::OkStatus();
  return PreconditionFailed("PLAN_INCOMPLETE", absl::StrCat(plan.name(), " cannot be active"),
                            missing);
}

}  // namespace velknee::plans
