#ifndef VELKNEE_CLIENTS_CLI_INTAKE_FORM_H_
#define VELKNEE_CLIENTS_CLI_INTAKE_FORM_H_

// The guided intake form of velknee-tablet: the questions a therapist asks a
// new client, in the order a tablet asks them (complaint, pain, history,
// health screen, medical clearance, palpation findings, goals, consent), and
// the Assessment content the answers make. Every screening condition is asked
// as its own yes/no question, so an empty condition list means "asked, none
// apply" and `health_screen_completed` is true.
//
// The form checks what it can while the client is still there (ranges,
// required answers, dates not in the future, lengths), so a finished form is
// not refused later for a typo; the server checks everything again.

#include "absl/status/statusor.h"
#include "clients/cli/prompter.h"
#include "google/type/date.pb.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee::cli {

// Asks every question through `prompter` and returns the draft's content
// (output-only fields unset). `today` is the latest date an answer may name.
//
// OUT_OF_RANGE when the answers end before the form is complete;
// INVALID_ARGUMENT when one question got Prompter::kMaxBadAnswers bad answers.
// Either way nothing has been sent anywhere.
absl::StatusOr<intake::v1::Assessment> TakeIntakeForm(Prompter& prompter,
                                                      const google::type::Date& today);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_INTAKE_FORM_H_
