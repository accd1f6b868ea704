#ifndef VELKNEE_CLIENTS_CLI_TECHNIQUE_QUESTIONS_H_
#define VELKNEE_CLIENTS_CLI_TECHNIQUE_QUESTIONS_H_

// What the plan form and the session-note form share about a technique: the
// numbered lists of techniques and pressures, the check of one technique
// against a screening while it is entered (with the server's own rule,
// common/screening/restriction_check.h), and the technique in plain words.

#include <string>
#include <vector>

#include "clients/cli/prompter.h"
#include "common/screening/restriction_check.h"
#include "velknee/common/v1/screening.pb.h"

namespace velknee::cli {

// Every technique and every pressure except UNSPECIFIED, in proto order.
std::vector<Choice> TechniqueChoices();
std::vector<Choice> PressureChoices();

// The restrictions of `screening` that `use` breaks, in plain words
// (RestrictionInPlainWords), one per restriction; empty when it is allowed.
std::vector<std::string> RestrictionsBlocking(const TechniqueUse& use,
                                              const common::v1::Screening& screening);

// "deep tissue on hamstrings (back of the thigh), both sides, deep pressure";
// several regions are joined with " and ".
std::string TechniqueUseInPlainWords(const TechniqueUse& use);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_TECHNIQUE_QUESTIONS_H_
