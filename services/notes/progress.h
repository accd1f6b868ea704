#ifndef VELKNEE_SERVICES_NOTES_PROGRESS_H_
#define VELKNEE_SERVICES_NOTES_PROGRESS_H_

// Whether a plan works: the arithmetic of GetPlanProgress over a plan's signed sessions.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "velknee/notes/v1/plan_progress.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::notes {

// One signed session, as the progress query reads it (no note is parsed).
struct SignedSession {
  std::string note;  // Resource name.
  absl::Time session_time;
  std::optional<int> pain_before;
  std::optional<int> pain_after;
  int adverse_effects = 0;
};

// A session is late when it comes more than this many days after the planned interval.
inline constexpr int kLateAfterDays = 2;

// The progress of `plan` from its signed `sessions` in session order. "Pain" is pain before the
// session (what the client lives with between sessions); relief is before − after. Gaps are
// counted in calendar days in `clinic_time_zone`. A goal is met when the latest pain is at or
// below its target pain.
v1::PlanProgress ComputePlanProgress(const plans::v1::TreatmentPlan& plan,
                                     const std::vector<SignedSession>& sessions,
                                     absl::TimeZone clinic_time_zone);

}  // namespace velknee::notes

#endif  // VELKNEE_SERVICES_NOTES_PROGRESS_H_
