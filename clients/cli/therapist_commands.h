#ifndef VELKNEE_CLIENTS_CLI_THERAPIST_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_THERAPIST_COMMANDS_H_

// The desk's `therapists add|list|show|hours` commands (adding therapists
// and changing their hours needs an ADMIN token), and what the other desk
// commands need to know about therapists: the --therapist and --technique
// flags, technique words, and the whole list of therapists for names.

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/connection.h"
#include "clients/cli/text_flag.h"
#include "grpcpp/support/status.h"
#include "velknee/common/v1/technique.pb.h"
#include "velknee/scheduling/v1/scheduling_service.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

ABSL_DECLARE_FLAG(velknee::cli::TextFlag, therapist);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, technique);

namespace velknee::cli {

// Registers `therapists add|list|show|hours`.
void RegisterTherapistCommands(CommandRegistry& registry);

// "trigger_point" (or "trigger-point", any case) → TECHNIQUE_TRIGGER_POINT.
// INVALID_ARGUMENT naming `what` for an unknown word.
absl::StatusOr<common::v1::Technique> ParseTechnique(absl::string_view word,
                                                     absl::string_view what);

// The text form of one therapist.
std::string TherapistBlock(const scheduling::v1::Therapist& therapist);

// Every therapist, page after page, into `all` (offering `technique` unless
// it is TECHNIQUE_UNSPECIFIED; inactive ones too when `show_inactive`).
// The status of the first failed call.
grpc::Status ListAllTherapists(const Connection& connection, common::v1::Technique technique,
                               bool show_inactive, scheduling::v1::ListTherapistsResponse& all);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_THERAPIST_COMMANDS_H_
