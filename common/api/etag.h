#ifndef VELKNEE_COMMON_API_ETAG_H_
#define VELKNEE_COMMON_API_ETAG_H_

// AIP-154 etags: a digest of the resource's content, so any change gives a new etag.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace velknee {

// The etag of `resource`: a digest of its deterministic serialization with its `etag` field
// left out. 22 URL-safe characters.
std::string ComputeEtag(const google::protobuf::Message& resource);

// Marks `resource` as changed at `now`: sets its `update_time` field and a fresh etag.
void StampRevision(google::protobuf::Message& resource, absl::Time now);

// OK when `requested` is empty (last write wins) or equals `current`; otherwise ABORTED with
// reason ETAG_MISMATCH telling the caller to re-read `resource_name` and retry.
absl::Status CheckEtag(absl::string_view requested, absl::string_view current,
                       absl::string_view resource_name);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_ETAG_H_
