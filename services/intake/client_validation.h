#ifndef VELKNEE_SERVICES_INTAKE_CLIENT_VALIDATION_H_
#define VELKNEE_SERVICES_INTAKE_CLIENT_VALIDATION_H_

// The rules a client record must satisfy, checked on create and after every update.

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee::intake {

// Checks the writable fields of `client` against the rules client.proto declares, and a birth
// date (when set) before `today`, then normalizes them in place (trimmed names, phone numbers
// without separators). INVALID_ARGUMENT with one violation per bad field, each path starting
// with "client.". An emergency contact with neither a name nor a phone is removed.
absl::Status ValidateClient(v1::Client& client, absl::CivilDay today);

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_CLIENT_VALIDATION_H_
