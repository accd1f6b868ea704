#include "services/notes/progress.h"

#include "absl/time/civil_time.h"
#include "common/api/timestamps.h"

namespace velknee::notes {

v1::PlanProgress ComputePlanProgress(const plans::v1::TreatmentPlan& plan,
                                     const std::vector<SignedSession>& sessions,
                                     absl::TimeZone clinic_time_zone) {
  v1::PlanProgress progress;
  progress.set_plan(plan.name());
  progress.set_planned_sessions(plan.cadence().planned_sessions());
  progress.set_planned_interval_days(plan.cadence().interval_days());
  progress.set_signed_sessions(static_cast<int>(sessions.size()));

  double relief_sum = 0;
  int relief_count = 0;
  for (size_t i = 0; i < sessions.size(); ++i) {
    const SignedSession& session = sessions[i];
    v1::SessionPain& pain = *progress.add_sessions();
    pain.set_note(session.note);
    *pain.mutable_session_time() = ToTimestamp(session.session_time);
    if (session.pain_before.has_value()) {
      pain.set_pain_before(*session.pain_before);
      if (!progress.has_first_pain()) progress.set_first_pain(*session.pain_before);
      progress.set_latest_pain(*session.pain_before);
    }
    if (session.pain_after.has_value()) pain.set_pain_after(*session.pain_after);
    if (session.pain_before.has_value() && session.pain_after.has_value()) {
      relief_sum += *session.pain_before - *session.pain_after;
      ++relief_count;
    }
    progress.set_adverse_effect_count(progress.adverse_effect_count() + session.adverse_effects);
    if (i > 0) {
      const SignedSession& previous = sessions[i - 1];
      const int days = static_cast<int>(absl::ToCivilDay(session.session_time, clinic_time_zone) -
                                        absl::ToCivilDay(previous.session_time, clinic_time_zone));
      v1::SessionGap& gap = *progress.add_gaps();
      gap.set_from_note(previous.note);
      gap.set_to_note(session.note);
      gap.set_days(days);
      gap.set_late(days > plan.cadence().interval_days() + kLateAfterDays);
      if (gap.late()) progress.set_late_sessions(progress.late_sessions() + 1);
    }
  }
  if (progress.has_first_pain() && progress.has_latest_pain()) {
    progress.set_pain_change(progress.latest_pain() - progress.first_pain());
  }
  if (relief_count > 0) progress.set_mean_relief(relief_sum / relief_count);
  for (const plans::v1::Goal& goal : plan.goals()) {
    v1::GoalProgress& out = *progress.add_goals();
    out.set_description(goal.description());
    if (goal.has_target_pain()) out.set_target_pain(goal.target_pain());
    if (goal.has_target_date()) *out.mutable_target_date() = goal.target_date();
    out.set_met(goal.has_target_pain() && progress.has_latest_pain() &&
                progress.latest_pain() <= goal.target_pain());
  }
  return progress;
}

}  // namespace velknee::notes
