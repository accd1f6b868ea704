#include "clients/cli/update_mask.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/command.h"
#include "clients/cli/json_file.h"
#include "velknee/common/v1/field_behavior.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, from_file, {},
          "Read the record from this file as proto JSON (the form --json prints) instead of "
          "asking the questions.");
ABSL_FLAG(TextFlag, update_mask, {},
          "With --from_file: the fields to change, comma-separated (e.g. pain.current,consent); "
          "a named field missing from the file is cleared. Default: every field set in the "
          "file.");

namespace velknee::cli {
namespace {

// Whether `field` may appear in an update mask.
bool Writable(const google::protobuf::FieldDescriptor& field) {
  if (field.name() == "name" || field.name() == "etag") return false;
  const auto& options = field.options();
  for (int i = 0; i < options.ExtensionSize(common::v1::field_behavior); ++i) {
    const common::v1::FieldBehavior behavior = options.GetExtension(common::v1::field_behavior, i);
    if (behavior == common::v1::FIELD_BEHAVIOR_OUTPUT_ONLY ||
        behavior == common::v1::FIELD_BEHAVIOR_IMMUTABLE) {
      return false;
    }
  }
  return true;
}

void AppendSetPaths(const google::protobuf::Message& message, const std::string& prefix,
                    google::protobuf::FieldMask& mask) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (!Writable(*field)) continue;
    const std::string path = absl::StrCat(prefix, field->name());
    // Reach into velknee's own messages; google.type.Date and the like are
    // values, replaced whole.
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
        !field->is_repeated() && absl::StartsWith(field->message_type()->full_name(), "velknee.")) {
      const size_t before = mask.paths_size();
      AppendSetPaths(message.GetReflection()->GetMessage(message, field), absl::StrCat(path, "."),
                     mask);
      if (static_cast<size_t>(mask.paths_size()) > before) continue;
    }
    mask.add_paths(path);
  }
}

}  // namespace

google::protobuf::FieldMask UpdateMaskOfSetFields(const google::protobuf::Message& patch) {
  google::protobuf::FieldMask mask;
  AppendSetPaths(patch, "", mask);
  return mask;
}

absl::StatusOr<google::protobuf::FieldMask> ParseUpdateMask(absl::string_view text) {
  google::protobuf::FieldMask mask;
  for (absl::string_view path : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    mask.add_paths(std::string(absl::StripAsciiWhitespace(path)));
  }
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError("--update_mask: name at least one field, e.g. pain.current");
  }
  return mask;
}

FlagSpec UpdateMaskFlag() { return {"update_mask", "a,b", false, "", "from_file"}; }

absl::StatusOr<google::protobuf::FieldMask> ReadPatchFile(google::protobuf::Message& patch) {
  const TextFlag from_file = absl::GetFlag(FLAGS_from_file);
  if (absl::Status read = ReadProtoJsonFile("from_file", from_file.value, patch); !read.ok()) {
    return read;
  }
  if (const TextFlag mask = absl::GetFlag(FLAGS_update_mask); mask.given) {
    return ParseUpdateMask(mask.value);
  }
  google::protobuf::FieldMask mask = UpdateMaskOfSetFields(patch);
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--from_file: ", from_file.value,
                     " sets no field that can be changed; name fields to clear in "
                     "--update_mask"));
  }
  return mask;
}

}  // namespace velknee::cli
