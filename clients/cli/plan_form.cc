#include "clients/cli/plan_form.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/region_questions.h"
#include "clients/cli/technique_questions.h"
#include "common/status/macros.h"

namespace velknee::cli {
namespace {

using common::v1::HomeExercise;
using common::v1::Pressure;
using common::v1::Technique;
using plans::v1::Cadence;
using plans::v1::Goal;
using plans::v1::PlannedTechnique;
using plans::v1::TreatmentPlan;

// The contract's limits (treatment_plan.proto, home_exercise.proto).
constexpr size_t kGoalChars = 500;
constexpr size_t kExerciseNameBytes = 100;
constexpr size_t kInstructionsBytes = 4096;
constexpr int kMaxItems = 50;
constexpr int kMaxTechniqueMinutes = 180;
constexpr int kMinSessionMinutes = 15;
constexpr int kMaxSessionMinutes = 180;

absl::Status AskGoals(Prompter& prompter, TreatmentPlan& plan) {
  prompter.Say("\n== Goals ==");
  while (plan.goals_size() < kMaxItems) {
    const bool first = plan.goals().empty();
    VELKNEE_ASSIGN_OR_RETURN(
        std::string description,
        prompter.AskText(first ? "Goal, in plain words:" : "Another goal (empty when done):",
                         first ? Blank::kNotAllowed : Blank::kAllowed, kGoalChars));
    if (description.empty()) break;
    Goal& goal = *plan.add_goals();
    goal.set_description(description);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> target_pain,
        prompter.AskNumber("Target pain, 0-10, at or below which it is met (empty if not "
                           "measured by pain):",
                           0, 10, Blank::kAllowed));
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
  while (plan.techniques_size() < kMaxItems) {
    const bool first = plan.techniques().empty();
    const int minutes_left = kMaxSessionMinutes - TechniqueMinutes(plan);
    if (minutes_left < 1) {
      prompter.Say(absl::StrCat("  (the techniques fill the longest session, ", kMaxSessionMinutes,
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
        prompter.AskNumber(absl::StrCat("Minutes per session, 1-",
                                        std::min(kMaxTechniqueMinutes, minutes_left), ":"),
                           1, std::min(kMaxTechniqueMinutes, minutes_left), Blank::kNotAllowed));
    planned.set_minutes(*minutes);
    *plan.add_techniques() = std::move(planned);
  }
  return absl::OkStatus();
}

absl::Status AskCadence(Prompter& prompter, TreatmentPlan& plan) {
  prompter.Say("\n== Cadence ==");
  Cadence& cadence = *plan.mutable_cadence();
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> interval,
      prompter.AskNumber("Days between sessions, 1-60 (7 = weekly):", 1, 60, Blank::kNotAllowed));
  cadence.set_interval_days(*interval);
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> sessions,
      prompter.AskNumber("Number of sessions, 1-52:", 1, 52, Blank::kNotAllowed));
  cadence.set_planned_sessions(*sessions);
  // The techniques must fit in a session.
  const int shortest = std::max(kMinSessionMinutes, TechniqueMinutes(plan));
  VELKNEE_ASSIGN_OR_RETURN(std::optional<int> session_minutes,
                           prompter.AskNumber(absl::StrCat("Minutes per session, ", shortest, "-",
                                                           kMaxSessionMinutes, ":"),
                                              shortest, kMaxSessionMinutes, Blank::kNotAllowed));
  cadence.set_session_minutes(*session_minutes);
  return absl::OkStatus();
}

absl::Status AskHomeCare(Prompter& prompter, TreatmentPlan& plan) {
  prompter.Say("\n== Home care ==");
  while (plan.home_care_size() < kMaxItems) {
    VELKNEE_ASSIGN_OR_RETURN(
        bool another,
        prompter.AskYesNo(plan.home_care().empty() ? "Give the client a home exercise?"
                                                   : "Another home exercise?"));
    if (!another) break;
    HomeExercise exercise;
    VELKNEE_ASSIGN_OR_RETURN(
        std::string name,
        prompter.AskText("Exercise name:", Blank::kNotAllowed, kExerciseNameBytes));
    exercise.set_name(name);
    VELKNEE_ASSIGN_OR_RETURN(std::string instructions,
                             prompter.AskText("Instructions for the client (empty to skip):",
                                              Blank::kAllowed, kInstructionsBytes));
    exercise.set_instructions(instructions);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> sets,
                             prompter.AskNumber("Sets, 1-20:", 1, 20, Blank::kNotAllowed));
    exercise.set_sets(*sets);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> reps,
                             prompter.AskNumber("Repetitions per set, 0-100 (0 for a hold):", 0,
                                                100, Blank::kNotAllowed));
    exercise.set_reps(*reps);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> hold,
        prompter.AskNumber("Seconds to hold, 0-600 (0 for no hold):", 0, 600, Blank::kNotAllowed));
    exercise.set_hold_seconds(*hold);
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> per_week,
        prompter.AskNumber("Times per week, 1-21:", 1, 21, Blank::kNotAllowed));
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
