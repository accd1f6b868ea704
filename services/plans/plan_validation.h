#ifndef VELKNEE_SERVICES_PLANS_PLAN_VALIDATION_H_
#define VELKNEE_SERVICES_PLANS_PLAN_VALIDATION_H_

// The rules a treatment plan must satisfy: field rules on every create and update, what
// activation needs, and that its techniques respect the screening copied from the assessment.

#include "absl/status/status.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::plans {

// Checks the writable fields of `plan`, trimming its text in place, against the rules
// treatment_plan.proto and home_exercise.proto declare, plus what they cannot say: goal target
// dates are real dates, and the techniques' minutes add up to at most cadence.session_minutes.
// INVALID_ARGUMENT with one violation per bad field ("plan.techniques[0].minutes").
absl::Status ValidatePlan(v1::TreatmentPlan& plan);

// OK when the plan's techniques respect its screening; otherwise FAILED_PRECONDITION (reason
// RESTRICTION_BREACHED) with one violation per breach naming `techniques[i]`, the condition and
// the rule.
absl::Status CheckAgainstScreening(const v1::TreatmentPlan& plan);

// OK when `plan` has what an ACTIVE plan needs; otherwise FAILED_PRECONDITION (reason
// PLAN_INCOMPLETE) listing each missing item: a goal, a technique, a cadence.
absl::Status CheckReadyToActivate(const v1::TreatmentPlan& plan);

}  // namespace velknee::plans

#endif  // VELKNEE_SERVICES_PLANS_PLAN_VALIDATION_H_
