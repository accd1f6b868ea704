#ifndef VELKNEE_SERVICES_NOTES_NAMES_H_
#define VELKNEE_SERVICES_NOTES_NAMES_H_

// The resource-name pattern (AIP-122) of the records SessionNoteService owns.

#include "absl/strings/string_view.h"

namespace velknee::notes {

inline constexpr absl::string_view kNotePattern = "clients/{client}/notes/{note}";

}  // namespace velknee::notes

#endif  // VELKNEE_SERVICES_NOTES_NAMES_H_
