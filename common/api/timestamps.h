#ifndef VELKNEE_COMMON_API_TIMESTAMPS_H_
#define VELKNEE_COMMON_API_TIMESTAMPS_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace velknee {

// An instant as the UTC google.protobuf.Timestamp of the API.
google::protobuf::Timestamp ToTimestamp(absl::Time time);

// The instant of `timestamp` (its nanos kept).
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_TIMESTAMPS_H_
