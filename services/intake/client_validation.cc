#include "services/intake/client_validation.h"

#include <string>

#include "absl/strings/ascii.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"
#include "common/validation/fields.h"

namespace velknee::intake {

absl::Status ValidateClient(v1::Client& client, absl::CivilDay today) {
  absl::StripAsciiWhitespace(client.mutable_given_name());
  absl::StripAsciiWhitespace(client.mutable_family_name());
  absl::StripAsciiWhitespace(client.mutable_email());
  if (client.has_emergency_contact()) {
    v1::EmergencyContact& contact = *client.mutable_emergency_contact();
    absl::StripAsciiWhitespace(contact.mutable_name());
    if (contact.name().empty() && contact.phone().empty()) client.clear_emergency_contact();
  }
  FieldViolations violations;
  CheckFieldRules(client, "client", violations);
  if (client.has_birth_date()) {
    CheckPastDate(client.birth_date(), "client.birth_date", today, violations);
  }
  VELKNEE_RETURN_IF_ERROR(violations.ToStatus());
  // The rules accepted both numbers, so they normalize.
  client.set_phone(*NormalizePhone(client.phone()));
  if (client.has_emergency_contact()) {
    v1::EmergencyContact& contact = *client.mutable_emergency_contact();
    contact.set_phone(*NormalizePhone(contact.phone()));
  }
  return absl::OkStatus();
}

}  // namespace velknee::intake
