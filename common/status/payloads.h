#ifndef VELKNEE_COMMON_STATUS_PAYLOADS_H_
#define VELKNEE_COMMON_STATUS_PAYLOADS_H_

// How a google.rpc detail message rides on an absl::Status: as a payload whose key is the
// detail's Any type URL. Internal to common/status.

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace velknee {

inline std::string DetailTypeUrl(const google::protobuf::Message& detail) {
  return "type.googleapis.com/" + detail.GetDescriptor()->full_name();
}

inline void SetDetail(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(DetailTypeUrl(detail), absl::Cord(detail.SerializeAsString()));
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_STATUS_PAYLOADS_H_
