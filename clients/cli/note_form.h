#ifndef VELKNEE_CLIENTS_CLI_NOTE_FORM_H_
#define VELKNEE_CLIENTS_CLI_NOTE_FORM_H_

// The guided SOAP session-note form of velknee-tablet, asked after a session
// in the order the therapist writes it: when and how long; S (the client's
// report, pain before, how it went since the last session); O (palpation
// findings, observations); the techniques applied; A (pain after, response,
// adverse effects); P (next steps). It returns the SessionNote content the
// answers make.
//
// Like the plan form it knows the plan's screening and checks each applied
// technique as it is entered (with the server's rule): a blocked technique is
// shown next to the restriction that blocks it and not added. It also checks
// what the contract fixes (session time not in the future, the duration and
// NPRS ranges read from the proto's field rules, the techniques' minutes
// within the session); the server checks
// everything again.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/prompter.h"
#include "velknee/notes/v1/session_note.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::cli {

// Asks every question through `prompter` and returns the note's content
// (plan, appointment and output-only fields unset). The session's date and
// start time are asked in `time_zone` (the clinic's) and may not be after
// `now`. Pain before, pain after and at least one applied technique are
// required, so a finished form can be signed.
//
// OUT_OF_RANGE when the answers end before the form is complete;
// INVALID_ARGUMENT when one question got Prompter::kMaxBadAnswers bad answers.
// Either way nothing has been sent anywhere.
absl::StatusOr<notes::v1::SessionNote> TakeNoteForm(Prompter& prompter,
                                                    const plans::v1::TreatmentPlan& plan,
                                                    absl::Time now, absl::TimeZone time_zone);

// What the therapist keeps in view while writing a note: the plan, its
// techniques and the screening's restrictions, e.g.
//   Plan: clients/c1/plans/p1 (weekly, 6 sessions of 60 minutes)
//   Planned techniques:
//     - trigger point therapy on quadriceps, both sides, moderate pressure, 20 min
//   Screening: CLEAR
//     No contraindications found: treat as planned.
std::string PlanBriefing(const plans::v1::TreatmentPlan& plan);

// "trigger point therapy on quadriceps, both sides, moderate pressure, 20 min".
std::string AppliedTechniqueInPlainWords(const notes::v1::AppliedTechnique& applied);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_NOTE_FORM_H_
