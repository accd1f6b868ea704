#ifndef VELKNEE_COMMON_STATUS_DETAILS_H_
#define VELKNEE_COMMON_STATUS_DETAILS_H_

// The google.rpc details (AIP-193) an absl::Status carries: any proto messages, in the order
// they were added, several of one type allowed (one RestrictionBreach per breach). They ride
// together in one payload, a google.rpc.Status holding only `details`, because absl keys payloads
// by type URL and keeps one per key. ToGrpcStatus (grpc_status.h) sends them in the
// `grpc-status-details-bin` trailer and FromGrpcStatus reads them back.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace velknee {

// Appends `detail`, whatever its message type, to the details of `status`. Does nothing to an OK
// status (it carries no details).
void AddDetail(absl::Status& status, const google::protobuf::Message& detail);

// Puts `detail` in place of every detail of its type that `status` carries (appending it when
// there is none), for details a status has at most one of, such as ErrorInfo.
void ReplaceDetail(absl::Status& status, const google::protobuf::Message& detail);

// Every detail of `status` in the order they were added, packed as Any
// (`type.googleapis.com/<full message name>`). Empty for OK or a status without details.
google::protobuf::RepeatedPtrField<google::protobuf::Any> Details(const absl::Status& status);

// Replaces the details of a non-OK `status` with `details` (a status received from a peer).
void SetDetails(absl::Status& status,
                const google::protobuf::RepeatedPtrField<google::protobuf::Any>& details);

// The details among `details` of type `Detail`, in order.
template <typename Detail>
std::vector<Detail> UnpackDetails(
    const google::protobuf::RepeatedPtrField<google::protobuf::Any>& details) {
  std::vector<Detail> found;
  for (const google::protobuf::Any& any : details) {
    Detail detail;
    if (any.UnpackTo(&detail)) found.push_back(std::move(detail));
  }
  return found;
}

// The details of `status` of type `Detail`, in order, e.g.
// DetailsOf<velknee::common::v1::RestrictionBreach>(status).
template <typename Detail>
std::vector<Detail> DetailsOf(const absl::Status& status) {
  return UnpackDetails<Detail>(Details(status));
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_STATUS_DETAILS_H_
