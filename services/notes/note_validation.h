#ifndef VELKNEE_SERVICES_NOTES_NOTE_VALIDATION_H_
#define VELKNEE_SERVICES_NOTES_NOTE_VALIDATION_H_

// The rules a SOAP session note must satisfy: field rules on every create and update, what
// signing needs, and that the work applied respects the plan's screening.

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "velknee/common/v1/screening.pb.h"
#include "velknee/notes/v1/session_note.pb.h"

namespace velknee::notes {

// Checks the writable fields of `note` (trimming its report) against the rules
// session_note.proto declares, plus what they cannot say: a session time not after `now` (plus
// a few minutes of clock slack), and applied minutes adding up to at most duration_minutes.
// INVALID_ARGUMENT with one violation per bad field ("note.applied[0].minutes").
absl::Status ValidateNote(v1::SessionNote& note, absl::Time now);

// OK when the applied techniques respect `screening`; otherwise FAILED_PRECONDITION (reason
// RESTRICTION_BREACHED) with one violation per breach naming `applied[i]` and the condition.
absl::Status CheckAppliedAgainstScreening(const v1::SessionNote& note,
                                          const common::v1::Screening& screening);

// OK when `note` can be signed; otherwise FAILED_PRECONDITION (reason NOTE_INCOMPLETE) listing
// each missing item: pain before, pain after, at least one applied technique.
absl::Status CheckReadyToSign(const v1::SessionNote& note);

}  // namespace velknee::notes

#endif  // VELKNEE_SERVICES_NOTES_NOTE_VALIDATION_H_
