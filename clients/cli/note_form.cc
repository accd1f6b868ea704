#include "clients/cli/note_form.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "clients/cli/dates.h"
#include "clients/cli/finding_questions.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/plan_form.h"
#include "clients/cli/region_questions.h"
#include "clients/cli/technique_questions.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"

namespace velknee::cli {
namespace {

using notes::v1::AppliedTechnique;
using notes::v1::SessionNote;

// The contract's fields, whose declared rules bound each answer.
const google::protobuf::FieldDescriptor& NoteField(absl::string_view name) {
  return FieldOf(*SessionNote::descriptor(), name);
}
const google::protobuf::FieldDescriptor& SubjectiveField(absl::string_view name) {
  return FieldOf(*SessionNote::Subjective::descriptor(), name);
}
const google::protobuf::FieldDescriptor& AssessmentField(absl::string_view name) {
  return FieldOf(*SessionNote::Assessment::descriptor(), name);
}

TechniqueUse UseOf(const AppliedTechnique& applied) {
  return {applied.technique(), &applied.regions(), applied.pressure()};
}

absl::CivilDay DayOf(const google::type::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// "14:05" -> minutes since midnight.
absl::StatusOr<int> ParseClock(absl::string_view text) {
  const size_t colon = text.find(':');
  int hours = -1;
  int minutes = -1;
  if (colon == absl::string_view::npos || colon == 0 || colon > 2 || text.size() - colon - 1 != 2 ||
      !absl::ascii_isdigit(text[colon + 1]) || !absl::ascii_isdigit(text[colon + 2]) ||
      !absl::SimpleAtoi(text.substr(0, colon), &hours) ||
      !absl::SimpleAtoi(text.substr(colon + 1), &minutes) || hours < 0 || hours > 23 ||
      minutes > 59) {
    return absl::InvalidArgumentError(
        "answer with a time as HH:MM on the 24-hour clock, e.g. 14:05");
  }
  return hours * 60 + minutes;
}

absl::Status AskSession(Prompter& prompter, const plans::v1::TreatmentPlan& plan, absl::Time now,
                        absl::TimeZone time_zone, SessionNote& note) {
  prompter.Say(absl::StrCat("\n== Session (times in ", time_zone.name(), ") =="));
  const absl::CivilDay today = absl::ToCivilDay(now, time_zone);
  VELKNEE_ASSIGN_OR_RETURN(
      absl::CivilDay day,
      prompter.Ask<absl::CivilDay>(
          "Session date (YYYY-MM-DD, empty for today):",
          [&](absl::string_view answer) -> absl::StatusOr<absl::CivilDay> {
            if (answer.empty()) return today;
            absl::StatusOr<google::type::Date> date = ParseDate(answer, "date");
            if (!date.ok()) {
              return absl::InvalidArgumentError(
                  "answer with a real date as YYYY-MM-DD, e.g. 2024-03-01");
            }
            if (DayOf(*date) > today) {
              return absl::InvalidArgumentError(
                  absl::StrCat("that is in the future; write the note after the session (today is ",
                               absl::FormatCivilTime(today), ")"));
            }
            return DayOf(*date);
          }));
  VELKNEE_ASSIGN_OR_RETURN(
      absl::Time start,
      prompter.Ask<absl::Time>("Start time (HH:MM, 24-hour clock):",
                               [&](absl::string_view answer) -> absl::StatusOr<absl::Time> {
                                 absl::StatusOr<int> minutes = ParseClock(answer);
                                 if (!minutes.ok()) return minutes.status();
                                 const absl::Time time = absl::FromCivil(
                                     absl::CivilMinute(day.year(), day.month(), day.day(),
                                                       *minutes / 60, *minutes % 60),
                                     time_zone);
                                 if (time > now) {
                                   return absl::InvalidArgumentError(
                                       "that is later than now; give the time the session started");
                                 }
                                 return time;
                               }));
  note.mutable_session_time()->set_seconds(absl::ToUnixSeconds(start));

  const int planned = plan.cadence().session_minutes();
  const NumberRange range = RangeOf(NoteField("duration_minutes"));
  const bool has_default = planned >= range.min && planned <= range.max;
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> duration,
      AskInRange(prompter, "Duration in minutes", NoteField("duration_minutes"),
                 has_default ? absl::StrCat(" (empty for the plan's ", planned, ")") : "",
                 has_default ? Blank::kAllowed : Blank::kNotAllowed));
  note.set_duration_minutes(duration.value_or(planned));
  return absl::OkStatus();
}

absl::Status AskSubjective(Prompter& prompter, SessionNote& note) {
  prompter.Say("\n== S: what the client reports ==");
  SessionNote::Subjective& subjective = *note.mutable_subjective();
  VELKNEE_ASSIGN_OR_RETURN(
      std::string report,
      prompter.AskText("The client's report, in their own words (empty to skip):", Blank::kAllowed,
                       SubjectiveField("report")));
  subjective.set_report(report);
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> before,
      prompter.AskNumber("Pain before treatment, 0 (none) to 10 (worst imaginable):",
                         RangeOf(SubjectiveField("pain_before")).min,
                         RangeOf(SubjectiveField("pain_before")).max, Blank::kNotAllowed));
  subjective.set_pain_before(*before);
  VELKNEE_ASSIGN_OR_RETURN(
      std::string since,
      prompter.AskText("How has the client been since the last session? (empty to skip)",
                       Blank::kAllowed, SubjectiveField("since_last_session")));
  subjective.set_since_last_session(since);
  return absl::OkStatus();
}

absl::Status AskObjective(Prompter& prompter, SessionNote& note) {
  prompter.Say("\n== O: what you find ==");
  VELKNEE_ASSIGN_OR_RETURN(
      std::vector<common::v1::MuscleFinding> findings,
      AskFindings(prompter, FieldOf(*SessionNote::Objective::descriptor(), "findings")));
  for (common::v1::MuscleFinding& finding : findings) {
    *note.mutable_objective()->add_findings() = std::move(finding);
  }
  VELKNEE_ASSIGN_OR_RETURN(
      std::string observations,
      prompter.AskText(
          "Other observations: posture, gait, range of motion (empty to skip):", Blank::kAllowed,
          FieldOf(*SessionNote::Objective::descriptor(), "observations")));
  note.mutable_objective()->set_observations(observations);
  return absl::OkStatus();
}

int AppliedMinutes(const SessionNote& note) {
  int minutes = 0;
  for (const AppliedTechnique& applied : note.applied()) minutes += applied.minutes();
  return minutes;
}

absl::Status AskApplied(Prompter& prompter, const common::v1::Screening& screening,
                        SessionNote& note) {
  prompter.Say("\n== Techniques applied ==");
  const NumberRange technique_minutes =
      RangeOf(FieldOf(*AppliedTechnique::descriptor(), "minutes"));
  while (note.applied_size() < static_cast<int>(MaxItemsOf(NoteField("applied")))) {
    const bool first = note.applied().empty();
    const int minutes_left =
        std::min(technique_minutes.max, note.duration_minutes() - AppliedMinutes(note));
    if (minutes_left < technique_minutes.min) {
      prompter.Say(absl::StrCat("  (the techniques fill the session's ", note.duration_minutes(),
                                " minutes)"));
      break;
    }
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> technique,
        prompter.AskOne(first ? "Technique applied?" : "Another technique? (empty when done)",
                        TechniqueChoices(), first ? Blank::kNotAllowed : Blank::kAllowed));
    if (!technique.has_value()) break;
    AppliedTechnique applied;
    applied.set_technique(static_cast<common::v1::Technique>(*technique));
    VELKNEE_ASSIGN_OR_RETURN(
        std::vector<common::v1::Region> regions,
        AskRegions(prompter,
                   absl::StrCat("Where? (", TechniqueInPlainWords(applied.technique()), ")"),
                   Blank::kNotAllowed));
    for (common::v1::Region& region : regions) *applied.add_regions() = std::move(region);
    VELKNEE_ASSIGN_OR_RETURN(std::optional<int> pressure,
                             prompter.AskOne("Pressure?", PressureChoices(), Blank::kNotAllowed));
    applied.set_pressure(static_cast<common::v1::Pressure>(*pressure));

    const std::vector<std::string> blocking = RestrictionsBlocking(UseOf(applied), screening);
    if (!blocking.empty()) {
      prompter.Say(absl::StrCat("  Not added: ", TechniqueUseInPlainWords(UseOf(applied)),
                                " is blocked by:"));
      for (const std::string& rule : blocking) prompter.Say(absl::StrCat("    ", rule));
      continue;
    }
    VELKNEE_ASSIGN_OR_RETURN(
        std::optional<int> minutes,
        prompter.AskNumber(absl::StrCat("Minutes, ", technique_minutes.min, "-", minutes_left, ":"),
                           technique_minutes.min, minutes_left, Blank::kNotAllowed));
    applied.set_minutes(*minutes);
    *note.add_applied() = std::move(applied);
  }
  return absl::OkStatus();
}

std::vector<Choice> AdverseEffectChoices() {
  std::vector<Choice> choices;
  for (notes::v1::AdverseEffect effect : AllAdverseEffects()) {
    choices.push_back({effect, AdverseEffectInPlainWords(effect), {}});
  }
  return choices;
}

absl::Status AskAssessment(Prompter& prompter, SessionNote& note) {
  prompter.Say("\n== A: how the client responded ==");
  SessionNote::Assessment& assessment = *note.mutable_assessment();
  VELKNEE_ASSIGN_OR_RETURN(std::optional<int> after, AskInRange(prompter, "Pain after treatment",
                                                                AssessmentField("pain_after")));
  assessment.set_pain_after(*after);
  VELKNEE_ASSIGN_OR_RETURN(std::string response,
                           prompter.AskText("The client's response (empty to skip):",
                                            Blank::kAllowed, AssessmentField("response")));
  assessment.set_response(response);
  VELKNEE_ASSIGN_OR_RETURN(
      std::vector<int> effects,
      prompter.AskSeveral("Adverse effects? (empty or none if there were none; describe "
                          "\"other\" in the response)",
                          AdverseEffectChoices(), Blank::kAllowed));
  for (int effect : effects) {
    assessment.add_adverse_effects(static_cast<notes::v1::AdverseEffect>(effect));
  }
  return absl::OkStatus();
}

absl::Status AskNextSteps(Prompter& prompter, SessionNote& note) {
  prompter.Say("\n== P: next steps ==");
  VELKNEE_ASSIGN_OR_RETURN(std::string next,
                           prompter.AskText("What comes next (empty to skip):", Blank::kAllowed,
                                            NoteField("next_steps")));
  note.set_next_steps(next);
  return absl::OkStatus();
}

std::string CadenceWords(const plans::v1::Cadence& cadence) {
  if (cadence.interval_days() == 0) return "";
  const std::string every = cadence.interval_days() == 7
                                ? "weekly"
                                : absl::StrCat("every ", cadence.interval_days(), " days");
  return absl::StrCat(" (", every, ", ", cadence.planned_sessions(), " sessions of ",
                      cadence.session_minutes(), " minutes)");
}

}  // namespace

absl::StatusOr<SessionNote> TakeNoteForm(Prompter& prompter, const plans::v1::TreatmentPlan& plan,
                                         absl::Time now, absl::TimeZone time_zone) {
  SessionNote note;
  prompter.Say("Session note (SOAP). Answer each question and press Enter.");
  VELKNEE_RETURN_IF_ERROR(AskSession(prompter, plan, now, time_zone, note));
  VELKNEE_RETURN_IF_ERROR(AskSubjective(prompter, note));
  VELKNEE_RETURN_IF_ERROR(AskObjective(prompter, note));
  VELKNEE_RETURN_IF_ERROR(AskApplied(prompter, plan.screening(), note));
  VELKNEE_RETURN_IF_ERROR(AskAssessment(prompter, note));
  VELKNEE_RETURN_IF_ERROR(AskNextSteps(prompter, note));
  prompter.Say("\nForm complete.");
  return note;
}

std::string PlanBriefing(const plans::v1::TreatmentPlan& plan) {
  std::string out = absl::StrCat("Plan: ", plan.name(), CadenceWords(plan.cadence()), "\n");
  absl::StrAppend(&out, "Planned techniques:\n");
  if (plan.techniques().empty()) absl::StrAppend(&out, "  (none)\n");
  for (const plans::v1::PlannedTechnique& technique : plan.techniques()) {
    absl::StrAppend(&out, "  - ", PlannedTechniqueInPlainWords(technique), ", ",
                    technique.minutes(), " min\n");
  }
  absl::StrAppend(&out, ScreeningInPlainWords(plan.screening()));
  return out;
}

std::string AppliedTechniqueInPlainWords(const AppliedTechnique& applied) {
  return absl::StrCat(TechniqueUseInPlainWords(UseOf(applied)), ", ", applied.minutes(), " min");
}

}  // namespace velknee::cli
