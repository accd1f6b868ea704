#include "services/notes/note_validation.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/screening/restriction_check.h"
#include "common/status/errors.h"
#include "common/validation/field_rules.h"

namespace velknee::notes {
namespace {

// A tablet's clock may run a little ahead of the server's.
constexpr absl::Duration kClockSlack = absl::Minutes(10);

}  // namespace

absl::Status ValidateNote(v1::SessionNote& note, absl::Time now) {
  absl::StripAsciiWhitespace(note.mutable_subjective()->mutable_report());
  FieldViolations violations;
  const std::vector<std::string> bad = CheckFieldRules(note, "note", violations);
  if (note.has_session_time() &&
      absl::FromUnixSeconds(note.session_time().seconds()) > now + kClockSlack) {
    violations.Add("note.session_time", "must not be in the future");
  }
  // The sum means something only when every part keeps its own rule.
  if (!AnyBadUnder(bad, "note.applied") && !AnyBadUnder(bad, "note.duration_minutes")) {
    int applied_minutes = 0;
    for (const v1::AppliedTechnique& applied : note.applied()) applied_minutes += applied.minutes();
    if (applied_minutes > note.duration_minutes()) {
      violations.Add("note.applied", absl::StrCat("minutes add up to ", applied_minutes,
                                                  ", more than note.duration_minutes (",
                                                  note.duration_minutes(), ")"));
    }
  }
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
