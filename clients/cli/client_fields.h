#ifndef VELKNEE_CLIENTS_CLI_CLIENT_FIELDS_H_
#define VELKNEE_CLIENTS_CLI_CLIENT_FIELDS_H_

// Turning the per-field flags of `clients add` and `clients edit` into a
// Client and the AIP-134 update mask that names exactly the fields the user
// typed. Kept apart from the command code so it can be tested without a
// server.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee::cli {

// What the user gave for each editable field: nullopt when the flag was not
// given, an empty string when it was given empty (meaning "clear it").
struct ClientFieldValues {
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> birth_date;  // YYYY-MM-DD
  std::optional<std::string> emergency_name;
  std::optional<std::string> emergency_phone;
  std::optional<std::string> note;  // Client.front_desk_note
};

struct ClientPatch {
  intake::v1::Client client;
  // One path per given field, in Client field order, e.g. "phone",
  // "emergency_contact.phone", "front_desk_note".
  google::protobuf::FieldMask update_mask;
};

// Builds the patch. Values go to the server as typed (it normalizes phone
// numbers and owns every rule); only --birth_date is parsed here.
// INVALID_ARGUMENT for a birth date that is not a real YYYY-MM-DD date.
absl::StatusOr<ClientPatch> BuildClientPatch(const ClientFieldValues& values);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_CLIENT_FIELDS_H_
