#include "services/notes/note_validation.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/screening/restriction_check.h"
#include "common/status/errors.h"
#include "common/validation/clinical.h"
#include "common/validation/fields.h"

namespace velknee::notes {
namespace {

// A tablet's clock may run a little ahead of the server's.
constexpr absl::Duration kClockSlack = absl::Minutes(10);

}  // namespace

absl::Status ValidateNote(v1::SessionNote& note, absl::Time now) {
  FieldViolations violations;
  if (!note.has_session_time()) {
    violations.Add("note.session_time", "is required (when the session took place)");
  } else if (absl::FromUnixSeconds(note.session_time().seconds()) > now + kClockSlack) {
    violations.Add("note.session_time", "must not be in the future");
  }
  if (note.duration_minutes() < 1 || note.duration_minutes() > 180) {
    violations.Add("note.duration_minutes", "must be between 1 and 180");
  }
  v1::SessionNote::Subjective& subjective = *note.mutable_subjective();
  absl::StripAsciiWhitespace(subjective.mutable_report());
  CheckText(subjective.report(), "note.subjective.report", 0, 0, true, violations);
  if (subjective.has_pain_before()) {
    CheckNprs(subjective.pain_before(), "note.subjective.pain_before", violations);
  }
  CheckText(subjective.since_last_session(), "note.subjective.since_last_session", 0, 0, true,
            violations);
  const v1::SessionNote::Objective& objective = note.objective();
  CheckListSize(objective.findings_size(), "note.objective.findings", violations);
  for (int i = 0; i < objective.findings_size() && i < kMaxListItems; ++i) {
    CheckMuscleFinding(objective.findings(i), absl::StrCat("note.objective.findings[", i, "]"),
                       violations);
  }
  CheckText(objective.observations(), "note.objective.observations", 0, 0, true, violations);
  CheckListSize(note.applied_size(), "note.applied", violations);
  int applied_minutes = 0;
  for (int i = 0; i < note.applied_size() && i < kMaxListItems; ++i) {
    CheckTechniqueUse(note.applied(i), absl::StrCat("note.applied[", i, "]"), violations);
    applied_minutes += note.applied(i).minutes();
  }
  if (applied_minutes > note.duration_minutes() && note.duration_minutes() > 0) {
    violations.Add("note.applied", absl::StrCat("minutes add up to ", applied_minutes,
                                                ", more than note.duration_minutes (",
                                                note.duration_minutes(), ")"));
  }
  const v1::SessionNote::Assessment& assessment = note.assessment();
  if (assessment.has_pain_after()) {
    CheckNprs(assessment.pain_after(), "note.assessment.pain_after", violations);
  }
  CheckText(assessment.response(), "note.assessment.response", 0, 0, true, violations);
  CheckListSize(assessment.adverse_effects_size(), "note.assessment.adverse_effects", violations);
  for (int i = 0; i < assessment.adverse_effects_size() && i < kMaxListItems; ++i) {
    const std::string field = absl::StrCat("note.assessment.adverse_effects[", i, "]");
    CheckEnum(assessment.adverse_effects(i), v1::AdverseEffect_IsValid, field, violations);
    for (int j = 0; j < i; ++j) {
      if (assessment.adverse_effects(j) == assessment.adverse_effects(i)) {
        violations.Add(field, absl::StrCat("repeats note.assessment.adverse_effects[", j, "]"));
      }
    }
  }
  CheckText(note.next_steps(), "note.next_steps", 0, 0, true, violations);
  return violations.ToStatus();
}

absl::Status CheckAppliedAgainstScreening(const v1::SessionNote& note,
                                          const common::v1::Screening& screening) {
  return CheckAgainstRestrictions(note.applied(), screening, "applied",
                                  "the session breaks the client's screening restrictions");
}

absl::Status CheckReadyToSign(const v1::SessionNote& note) {
  std::vector<PreconditionViolation> missing;
  if (!note.subjective().has_pain_before()) {
    missing.push_back(
        {"MISSING", "note.subjective.pain_before", "needs the pain before the session"});
  }
  if (!note.assessment().has_pain_after()) {
    missing.push_back(
        {"MISSING", "note.assessment.pain_after", "needs the pain after the session"});
  }
  if (note.applied().empty()) {
    missing.push_back({"MISSING", "note.applied", "needs at least one applied technique"});
  }
  if (missing.empty()) return absl::OkStatus();
  return PreconditionFailed("NOTE_INCOMPLETE", absl::StrCat(note.name(), " cannot be signed yet"),
                            missing);
}

}  // namespace velknee::notes
