#include "clients/cli/plan_form.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/region_questions.h"
#include "clients/cli/technique_questions.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"

namespace velknee::cli {
namespace {

using common::v1::HomeExercise;
using common::v1::Pressure;
using common::v1::Technique;
using plans::v1::Cadence;
using plans::v1::Goal;
using plans::v1::PlannedTechnique;
using plans::v1::TreatmentPlan;

// The contract's fields, whose declared rules bound each answer.
const google::protobuf::FieldDescriptor& PlanField(absl::string_view name) {
  return FieldOf(*TreatmentPlan::descriptor(), name);
}
const google::protobuf::FieldDescriptor& CadenceField(absl::string_view name) {
  return FieldOf(*Cadence::descriptor(), name);
}
const google::protobuf::FieldDescriptor& ExerciseField(absl::string_view name) {
  return FieldOf(*HomeExercise::descriptor(), name);
}

absl::Status AskGoals(Prompter& prompter, TreatmentPlan& plan) {
  prompter.Say("\n== Goals ==");
  while (plan.goals_size() < static_cast<int>(MaxItemsOf(PlanField("goals")))) {
    const bool first = plan.goals().empty();
    VELKNEE_ASSIGN_OR_RETURN(
        std::string description,
        prompter.AskText(first ? "Goal, in plain words:" : "Another goal (empty when done):",
                         first ? Blank::kNotAllowed : Blank::kAllowed,
                         FieldOf(*Goal::descriptor(), "description")));
    if (description.empty()) break;
    Goal& goal = *plan.add_goals();
    goal.set_description(description);
    const google::protobuf::FieldDescriptor& target = FieldOf(*Goal::descriptor(), "target_pain");
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> target_pain,
        prompter.AskNumber(absl::StrCat("Target pain, ", RangeText(target),
                                        ", at or below which it is met (empty if not "
                                        "measured by pain):"),
                           RangeOf(target).min, RangeOf(target).max, Blank::kAllowed));
    if (target_pain.has_value()) goal.set_target_pain(*target_pain);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<google::type::Date> target_date,
                             prompter.AskDate("Reach it by", Blank::kAllowed, std::nullopt));
    if (target_date.has_value()) *goal.mutable_target_date() = *target_date;
  }
  return absl::OkStatus();
}

int TechniqueMinutes(const TreatmentPlan& plan) {
  int minutes = 0;
  for (const PlannedTechnique& technique : plan.techniques()) minutes += technique.minutes();
  return minutes;
}

absl::Status AskTechniques(Prompter& prompter, const common::v1::Screening& screening,
                           TreatmentPlan& plan) {
  prompter.Say("\n== Techniques (each session) ==");
  const int longest_session = RangeOf(CadenceField("session_minutes")).max;
  const NumberRange technique_minutes =
      RangeOf(FieldOf(*PlannedTechnique::descriptor(), "minutes"));
  while (plan.techniques_size() < static_cast<int>(MaxItemsOf(PlanField("techniques")))) {
    const bool first = plan.techniques().empty();
    const int minutes_left = longest_session - TechniqueMinutes(plan);
    if (minutes_left < technique_minutes.min) {
      prompter.Say(absl::StrCat("  (the techniques fill the longest session, ", longest_session,
                                " minutes)"));
      break;
    }
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> technique,
        prompter.AskOne(first ? "Technique?" : "Another technique? (empty when done)",
                        TechniqueChoices(), first ? Blank::kNotAllowed : Blank::kAllowed));
    if (!technique.has_value()) break;
    PlannedTechnique planned;
    planned.set_technique(static_cast<Technique>(*technique));
    VELKNEE_ASSIGN_OR_RETURN(
        std::vector<common::v1::Region> regions,
        AskRegions(prompter,
                   absl::StrCat("Where? (", TechniqueInPlainWords(planned.technique()), ")"),
                   Blank::kNotAllowed));
    for (common::v1::Region& region : regions) *planned.add_regions() = std::move(region);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> pressure,
                             prompter.AskOne("Pressure?", PressureChoices(), Blank::kNotAllowed));
    planned.set_pressure(static_cast<Pressure>(*pressure));

    const std::vector<std::string> blocking = RestrictionsBlocking(planned, screening);
    if (!blocking.empty()) {
      prompter.Say(
          absl::StrCat("  Not added: ", PlannedTechniqueInPlainWords(planned), " is blocked by:"));
      for (const std::string& rule : blocking) prompter.Say(absl::StrCat("    ", rule));
      continue;
    }
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> minutes,
        prompter.AskNumber(absl::StrCat("Minutes per session, ", technique_minutes.min, "-",
                                        std::min(technique_minutes.max, minutes_left), ":"),
                           technique_minutes.min, std::min(technique_minutes.max, minutes_left),
                           Blank::kNotAllowed));
    planned.set_minutes(*minutes);
    *plan.add_techniques() = std::move(planned);
  }
  return absl::OkStatus();
}

absl::Status AskCadence(Prompter& prompter, TreatmentPlan& plan) {
  prompter.Say("\n== Cadence ==");
  Cadence& cadence = *plan.mutable_cadence();
  VELKNEE_ASSIGN_OR_RETURN(std::optional<int> interval,
                           AskInRange(prompter, "Days between sessions",
                                      CadenceField("interval_days"), " (7 = weekly)"));
  cadence.set_interval_days(*interval);
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> sessions,
      AskInRange(prompter, "Number of sessions", CadenceField("planned_sessions")));
  cadence.set_planned_sessions(*sessions);
  // The techniques must fit in a session.
  const NumberRange session = RangeOf(CadenceField("session_minutes"));
  const int shortest = std::max(session.min, TechniqueMinutes(plan));
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> session_minutes,
      prompter.AskNumber(absl::StrCat("Minutes per session, ", shortest, "-", session.max, ":"),
                         shortest, session.max, Blank::kNotAllowed));
  cadence.set_session_minutes(*session_minutes);
  return absl::OkStatus();
}

absl::Status AskHomeCare(Prompter& prompter, TreatmentPlan& plan) {
  prompter.Say("\n== Home care ==");
  while (plan.home_care_size() < static_cast<int>(MaxItemsOf(PlanField("home_care")))) {
    VELKNEE_ASSIGN_OR_RETURN(
        bool another,
        prompter.AskYesNo(plan.home_care().empty() ? "Give the client a home exercise?"
                                                   : "Another home exercise?"));
    if (!another) break;
    HomeExercise exercise;
    VELKNEE_ASSIGN_OR_RETURN(
        std::string name,
        prompter.AskText("Exercise name:", Blank::kNotAllowed, ExerciseField("name")));
    exercise.set_name(name);
    VELKNEE_ASSIGN_OR_RETURN(std::string instructions,
                             prompter.AskText("Instructions for the client (empty to skip):",
                                              Blank::kAllowed, ExerciseField("instructions")));
    exercise.set_instructions(instructions);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> sets,
                             AskInRange(prompter, "Sets", ExerciseField("sets")));
    exercise.set_sets(*sets);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> reps,
        AskInRange(prompter, "Repetitions per set", ExerciseField("reps"), " (0 for a hold)"));
    exercise.set_reps(*reps);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> hold,
        AskInRange(prompter, "Seconds to hold", ExerciseField("hold_seconds"), " (0 for no hold)"));
    exercise.set_hold_seconds(*hold);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> per_week,
        AskInRange(prompter, "Times per week", ExerciseField("times_per_week")));
    exercise.set_times_per_week(*per_week);
    *plan.add_home_care() = std::move(exercise);
  }
  return absl::OkStatus();
}

TechniqueUse UseOf(const PlannedTechnique& technique) {
  return {technique.technique(), &technique.regions(), technique.pressure()};
}

}  // namespace

std::vector<std::string> RestrictionsBlocking(const PlannedTechnique& technique,
                                              const common::v1::Screening& screening) {
  return RestrictionsBlocking(UseOf(technique), screening);
}

std::string PlannedTechniqueInPlainWords(const PlannedTechnique& technique) {
  return TechniqueUseInPlainWords(UseOf(technique));
}

absl::StatusOr<TreatmentPlan> TakePlanForm(Prompter& prompter,
                                           const common::v1::Screening& screening) {
  TreatmentPlan plan;
  prompter.Say("Treatment plan. Answer each question and press Enter.");
  VELKNEE_RETURN_IF_ERROR(AskGoals(prompter, plan));
  VELKNEE_RETURN_IF_ERROR(AskTechniques(prompter, screening, plan));
  VELKNEE_RETURN_IF_ERROR(AskCadence(prompter, plan));
  VELKNEE_RETURN_IF_ERROR(AskHomeCare(prompter, plan));
  prompter.Say("\nForm complete.");
  return plan;
}

}  // namespace velknee::cli
