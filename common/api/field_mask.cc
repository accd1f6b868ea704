#include "common/api/field_mask.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/field_behavior.h"
#include "common/status/errors.h"
#include "google/protobuf/util/field_mask_util.h"
#include "velknee/common/v1/field_behavior.pb.h"

namespace velknee {
namespace {

using google::protobuf::FieldDescriptor;

// Why `field` may not be updated, or empty when it may.
std::string NotWritableReason(const FieldDescriptor& field) {
  if (HasFieldBehavior(field, common::v1::FIELD_BEHAVIOR_OUTPUT_ONLY)) {
    return "is output only and set by the server";
  }
  if (HasFieldBehavior(field, common::v1::FIELD_BEHAVIOR_IMMUTABLE)) {
    return "cannot be changed after creation";
  }
  if (field.name() == "etag") return "is not a field to update; send it to guard the update";
  return "";
}

std::string CheckPath(const google::protobuf::Descriptor& resource, absl::string_view path) {
  const google::protobuf::Descriptor* type = &resource;
  const std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    const FieldDescriptor* field =
        type == nullptr ? nullptr : type->FindFieldByName(std::string(segments[i]));
    if (field == nullptr) {
      return absl::StrCat("names no field of ", resource.name(), " (\"", path, "\")");
    }
    if (std::string reason = NotWritableReason(*field); !reason.empty()) {
      return absl::StrCat(field->name(), " ", reason);
    }
    const bool last = i + 1 == segments.size();
    if (!last && (field->is_repeated() || field->message_type() == nullptr)) {
      return absl::StrCat("cannot reach into ", field->name(), "; update it whole");
    }
    type = field->message_type();
  }
  return "";
}

// Gives every output-only field of `target`, at any depth through singular messages, the value
// it has in `original`.
void RestoreOutputOnly(const google::protobuf::Message& original,
                       google::protobuf::Message* target) {
  const google::protobuf::Reflection* reflection = target->GetReflection();
  const google::protobuf::Descriptor* type = target->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (HasFieldBehavior(*field, common::v1::FIELD_BEHAVIOR_OUTPUT_ONLY)) {
      std::unique_ptr<google::protobuf::Message> source(original.New());
      source->CopyFrom(original);
      reflection->SwapFields(source.get(), target, {field});
    } else if (!field->is_repeated() && field->message_type() != nullptr &&
               reflection->HasField(*target, field)) {
      RestoreOutputOnly(original.GetReflection()->GetMessage(original, field),
                        reflection->MutableMessage(target, field));
    }
  }
}

}  // namespace

absl::Status ValidateUpdateMask(const google::protobuf::FieldMask& mask,
                                const google::protobuf::Message& patch) {
  const google::protobuf::Descriptor& resource = *patch.GetDescriptor();
  if (mask.paths().empty()) {
    return InvalidField("update_mask", "must name at least one field to change");
  }
  FieldViolations violations;
  for (int i = 0; i < mask.paths_size(); ++i) {
    if (std::string problem = CheckPath(resource, mask.paths(i)); !problem.empty()) {
      violations.Add(absl::StrCat("update_mask.paths[", i, "]"), problem);
    }
  }
  return violations.ToStatus();
}

void ClearOutputOnly(google::protobuf::Message* resource) {
  std::unique_ptr<google::protobuf::Message> empty(resource->New());
  RestoreOutputOnly(*empty, resource);
}

void ApplyUpdateMask(const google::protobuf::FieldMask& mask,
                     const google::protobuf::Message& patch, google::protobuf::Message* target) {
  std::unique_ptr<google::protobuf::Message> original(target->New());
  original->CopyFrom(*target);
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, options, target);
  // Replacing a whole message (e.g. `consent`) must not let the caller set the output-only
  // fields inside it (`consent.sign_time`).
  RestoreOutputOnly(*original, target);
}

}  // namespace velknee
