#ifndef VELKNEE_CLIENTS_CLI_FINDING_QUESTIONS_H_
#define VELKNEE_CLIENTS_CLI_FINDING_QUESTIONS_H_

// The palpation-finding questions the intake form and the session-note form
// share: "Record a finding?", then its region and side, kind, severity and
// where it refers pain, until the therapist answers no.

#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/prompter.h"
#include "velknee/common/v1/muscle_finding.pb.h"

namespace velknee::cli {

// Asks for findings until the answer to "Record another finding?" is no or
// `list_field` (the repeated field they go in) holds as many as it may;
// empty when the first answer is no. Errors as Prompter's.
absl::StatusOr<std::vector<common::v1::MuscleFinding>> AskFindings(
    Prompter& prompter, const google::protobuf::FieldDescriptor& list_field);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_FINDING_QUESTIONS_H_
