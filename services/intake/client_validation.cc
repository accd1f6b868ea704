#include "services/intake/client_validation.h"

#include <string>

#include "absl/strings/ascii.h"
#include "common/validation/fields.h"

namespace velknee::intake {
namespace {

constexpr size_t kMaxNameChars = 100;

void TrimInPlace(std::string* text) { absl::StripAsciiWhitespace(text); }

}  // namespace

absl::Status ValidateClient(v1::Client& client, absl::CivilDay today) {
  FieldViolations violations;
  TrimInPlace(client.mutable_given_name());
  TrimInPlace(client.mutable_family_name());
  TrimInPlace(client.mutable_email());
  CheckText(client.given_name(), "client.given_name", 1, kMaxNameChars, false, violations);
  CheckText(client.family_name(), "client.family_name", 1, kMaxNameChars, false, violations);
  if (client.phone().empty()) {
    violations.Add("client.phone", "is required (the clinic must be able to reach the client)");
  } else {
    client.set_phone(CheckPhone(client.phone(), "client.phone", violations));
  }
  if (!client.email().empty()) CheckEmail(client.email(), "client.email", violations);
  if (client.has_birth_date()) {
    CheckPastDate(client.birth_date(), "client.birth_date", today, violations);
  }
  if (client.has_emergency_contact()) {
    v1::EmergencyContact& contact = *client.mutable_emergency_contact();
    TrimInPlace(contact.mutable_name());
    if (contact.name().empty() && contact.phone().empty()) {
      client.clear_emergency_contact();
    } else {
      CheckText(contact.name(), "client.emergency_contact.name", 1, kMaxNameChars, false,
                violations);
      contact.set_phone(CheckPhone(contact.phone(), "client.emergency_contact.phone", violations));
    }
  }
  CheckText(client.front_desk_note(), "client.front_desk_note", 0, 0, true, violations);
  return violations.ToStatus();
}

}  // namespace velknee::intake
