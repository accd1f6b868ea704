#ifndef VELKNEE_CLIENTS_CLI_UPDATE_MASK_H_
#define VELKNEE_CLIENTS_CLI_UPDATE_MASK_H_

// Update masks (AIP-134) for the `edit --from_file` commands: the fields a
// patch file sets, or the ones --update_mask names.

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/text_flag.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

// The flags of the record commands that read a file (defined in update_mask.cc).
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, from_file);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, update_mask);

namespace velknee::cli {

// The update mask for `edit --from_file` without --update_mask: every field
// set in `patch`, reaching into singular velknee messages (so a file holding
// only {"pain": {"current": 4}} changes pain.current, not the whole pain),
// skipping `name`, `etag` and output-only or immutable fields (so the output
// of `show --json` can be edited and sent back). A field left at its zero
// value is not "set": to clear one, name it in --update_mask.
google::protobuf::FieldMask UpdateMaskOfSetFields(const google::protobuf::Message& patch);

// "a,b, c" as a mask. INVALID_ARGUMENT when it names no path.
absl::StatusOr<google::protobuf::FieldMask> ParseUpdateMask(absl::string_view text);

// --update_mask as the edit commands take it: only beside --from_file.
FlagSpec UpdateMaskFlag();

// For `edit --from_file=FILE [--update_mask=a,b]`: reads FILE into `patch`
// (json_file.h) and returns the mask --update_mask names, or else the fields
// the file sets. NOT_FOUND or INVALID_ARGUMENT for an unreadable or
// malformed file, a malformed --update_mask, or a file that sets nothing
// changeable without --update_mask.
absl::StatusOr<google::protobuf::FieldMask> ReadPatchFile(google::protobuf::Message& patch);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_UPDATE_MASK_H_
