#ifndef VELKNEE_CLIENTS_CLI_PLAN_FORM_H_
#define VELKNEE_CLIENTS_CLI_PLAN_FORM_H_

// The guided treatment-plan form of velknee-tablet: goals (each with an
// optional target pain and date), the techniques of each session, the
// cadence, and home care, in that order, and the TreatmentPlan content the
// answers make.
//
// The form knows the assessment's screening and checks each technique
// against it as it is entered (with the server's own rule,
// common/screening/restriction_check.h): a blocked technique is shown next to
// the restriction that blocks it and not added, so the therapist plans within
// the restrictions while the client is there. It also checks the contract's
// ranges, read from the proto's field rules (minutes, cadence, home-exercise
// numbers), and that the minutes fit in the session; the server checks everything again.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/prompter.h"
#include "velknee/common/v1/screening.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::cli {

// Asks every question through `prompter` and returns the plan's content:
// goals, techniques, cadence and home care (assessment and output-only
// fields unset). At least one goal and one technique are asked for, so a
// finished form can be activated.
//
// OUT_OF_RANGE when the answers end before the form is complete;
// INVALID_ARGUMENT when one question got Prompter::kMaxBadAnswers bad answers.
// Either way nothing has been sent anywhere.
absl::StatusOr<plans::v1::TreatmentPlan> TakePlanForm(Prompter& prompter,
                                                      const common::v1::Screening& screening);

// The restrictions of `screening` that `technique` breaks, in plain words
// (RestrictionInPlainWords); empty when it is allowed.
std::vector<std::string> RestrictionsBlocking(const plans::v1::PlannedTechnique& technique,
                                              const common::v1::Screening& screening);

// "deep tissue on hamstrings (back of the thigh), both sides, deep pressure";
// several regions are joined with " and ".
std::string PlannedTechniqueInPlainWords(const plans::v1::PlannedTechnique& technique);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PLAN_FORM_H_
