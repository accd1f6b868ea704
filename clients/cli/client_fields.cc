#include "clients/cli/client_fields.h"

#include "clients/cli/dates.h"

namespace velknee::cli {

absl::StatusOr<ClientPatch> BuildClientPatch(const ClientFieldValues& values) {
  ClientPatch patch;
  intake::v1::Client& client = patch.client;
  auto set_text = [&patch](const std::optional<std::string>& value, const char* path,
                           std::string* field) {
    if (!value.has_value()) return;
    *field = *value;
    patch.update_mask.add_paths(path);
  };
  set_text(values.given_name, "given_name", client.mutable_given_name());
  set_text(values.family_name, "family_name", client.mutable_family_name());
  if (values.birth_date.has_value()) {
    if (!values.birth_date->empty()) {
      absl::StatusOr<google::type::Date> date = ParseDate(*values.birth_date, "--birth_date");
      if (!date.ok()) return date.status();
      *client.mutable_birth_date() = *date;
    }
    patch.update_mask.add_paths("birth_date");
  }
  set_text(values.phone, "phone", client.mutable_phone());
  set_text(values.email, "email", client.mutable_email());
  // Only touch the contact message when one of its fields is given, so a
  // create without an emergency contact sends none.
  if (values.emergency_name.has_value()) {
    set_text(values.emergency_name, "emergency_contact.name",
             client.mutable_emergency_contact()->mutable_name());
  }
  if (values.emergency_phone.has_value()) {
    set_text(values.emergency_phone, "emergency_contact.phone",
             client.mutable_emergency_contact()->mutable_phone());
  }
  set_text(values.note, "front_desk_note", client.mutable_front_desk_note());
  return patch;
}

}  // namespace velknee::cli
