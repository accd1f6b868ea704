#include "common/api/etag.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/serialization.h"
#include "common/api/timestamps.h"
#include "common/crypto/sha256.h"
#include "common/status/errors.h"

namespace velknee {

std::string ComputeEtag(const google::protobuf::Message& resource) {
  std::unique_ptr<google::protobuf::Message> copy(resource.New());
  copy->CopyFrom(resource);
  if (const auto* field = copy->GetDescriptor()->FindFieldByName("etag")) {
    copy->GetReflection()->ClearField(copy.get(), field);
  }
  // 128 bits of the digest are plenty to tell versions apart.
  return absl::WebSafeBase64Escape(Sha256(DeterministicBytes(*copy)).substr(0, 16));
}

void StampRevision(google::protobuf::Message& resource, absl::Time now) {
  const google::protobuf::Descriptor* type = resource.GetDescriptor();
  const google::protobuf::Reflection* reflection = resource.GetReflection();
  if (const auto* field = type->FindFieldByName("update_time")) {
    reflection->MutableMessage(&resource, field)->CopyFrom(ToTimestamp(now));
  }
  if (const auto* field = type->FindFieldByName("etag")) {
    reflection->SetString(&resource, field, ComputeEtag(resource));
  }
}

absl::Status CheckEtag(absl::string_view requested, absl::string_view current,
                       absl::string_view resource_name) {
  if (requested.empty() || requested == current) return absl::OkStatus();
  return WithReason(absl::AbortedError(absl::StrCat(
                        "etag: ", resource_name,
                        " was changed by someone else since it was read; read it again and retry")),
                    "ETAG_MISMATCH");
}

}  // namespace velknee
