#include "services/plans/plan_validation.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/screening/restriction_check.h"
#include "common/status/errors.h"
#include "common/validation/clinical.h"
#include "common/validation/fields.h"

namespace velknee::plans {
namespace {

constexpr size_t kMaxExerciseNameChars = 100;

void CheckRange(int value, int low, int high, absl::string_view field,
                FieldViolations& violations) {
  if (value < low || value > high) {
    violations.Add(field, absl::StrCat("must be between ", low, " and ", high));
  }
}

void CheckGoals(v1::TreatmentPlan& plan, FieldViolations& violations) {
  CheckListSize(plan.goals_size(), "plan.goals", violations);
  for (int i = 0; i < plan.goals_size() && i < kMaxListItems; ++i) {
    v1::Goal& goal = *plan.mutable_goals(i);
    const std::string field = absl::StrCat("plan.goals[", i, "]");
    absl::StripAsciiWhitespace(goal.mutable_description());
    CheckText(goal.description(), field + ".description", 1, 0, true, violations);
    if (goal.has_target_pain()) CheckNprs(goal.target_pain(), field + ".target_pain", violations);
    if (goal.has_target_date() && !IsRealDate(goal.target_date())) {
      violations.Add(field + ".target_date", "must be a real calendar date (year, month and day)");
    }
  }
}

void CheckTechniques(const v1::TreatmentPlan& plan, FieldViolations& violations) {
  CheckListSize(plan.techniques_size(), "plan.techniques", violations);
  int total_minutes = 0;
  for (int i = 0; i < plan.techniques_size() && i < kMaxListItems; ++i) {
    CheckTechniqueUse(plan.techniques(i), absl::StrCat("plan.techniques[", i, "]"), violations);
    total_minutes += plan.techniques(i).minutes();
  }
  if (plan.has_cadence() && total_minutes > plan.cadence().session_minutes()) {
    violations.Add("plan.techniques", absl::StrCat("minutes add up to ", total_minutes,
                                                   ", more than cadence.session_minutes (",
                                                   plan.cadence().session_minutes(), ")"));
  }
}

void CheckCadence(const v1::TreatmentPlan& plan, FieldViolations& violations) {
  if (!plan.has_cadence()) return;
  CheckRange(plan.cadence().interval_days(), 1, 60, "plan.cadence.interval_days", violations);
  CheckRange(plan.cadence().planned_sessions(), 1, 52, "plan.cadence.planned_sessions", violations);
  CheckRange(plan.cadence().session_minutes(), 15, 180, "plan.cadence.session_minutes", violations);
}

void CheckHomeCare(v1::TreatmentPlan& plan, FieldViolations& violations) {
  CheckListSize(plan.home_care_size(), "plan.home_care", violations);
  for (int i = 0; i < plan.home_care_size() && i < kMaxListItems; ++i) {
    common::v1::HomeExercise& exercise = *plan.mutable_home_care(i);
    const std::string field = absl::StrCat("plan.home_care[", i, "]");
    absl::StripAsciiWhitespace(exercise.mutable_name());
    CheckText(exercise.name(), field + ".name", 1, kMaxExerciseNameChars, false, violations);
    CheckText(exercise.instructions(), field + ".instructions", 0, 0, true, violations);
    CheckRange(exercise.sets(), 0, 20, field + ".sets", violations);
    CheckRange(exercise.reps(), 0, 100, field + ".reps", violations);
    CheckRange(exercise.hold_seconds(), 0, 600, field + ".hold_seconds", violations);
    CheckRange(exercise.times_per_week(), 0, 21, field + ".times_per_week", violations);
  }
}

}  // namespace

absl::Status ValidatePlan(v1::TreatmentPlan& plan) {
  FieldViolations violations;
  CheckGoals(plan, violations);
  CheckTechniques(plan, violations);
  CheckCadence(plan, violations);
  CheckHomeCare(plan, violations);
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
