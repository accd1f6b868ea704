#ifndef VELKNEE_SERVICES_NOTES_SIGNATURE_H_
#define VELKNEE_SERVICES_NOTES_SIGNATURE_H_

// What a signature covers: the note's clinical content and who signed it when — every field
// from `name` through `sign_time` — in a canonical serialization (deterministic protobuf bytes
// of the note with everything else cleared). Addenda, timestamps of the record and the etag are
// outside it, so appending an addendum leaves the hash intact.

#include <string>

#include "velknee/notes/v1/session_note.pb.h"

namespace velknee::notes {

// The canonical bytes a signature covers.
std::string SignedContent(const v1::SessionNote& note);

// Lowercase hex SHA-256 of SignedContent(note).
std::string ContentSha256(const v1::SessionNote& note);

}  // namespace velknee::notes

#endif  // VELKNEE_SERVICES_NOTES_SIGNATURE_H_
