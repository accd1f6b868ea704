#ifndef VELKNEE_COMMON_STATUS_GRPC_STATUS_H_
#define VELKNEE_COMMON_STATUS_GRPC_STATUS_H_

// The one conversion between absl::Status (inside velknee) and grpc::Status (on the wire).

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/details.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace velknee {

// Converts `status` to the wire form: the canonical code, the message and a serialized
// google.rpc.Status holding every detail attached to `status`. Every non-OK result carries an
// ErrorInfo; one named after the code is added when the status has none.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Converts a status received from a peer back to absl::Status, keeping its details.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Decodes the google.rpc.Status detail of a received status (an empty one if absent).
google::rpc::Status RpcStatusDetails(const grpc::Status& status);

// The details of a received status of type `Detail`, in the order the server sent them, e.g.
// DetailsOf<velknee::common::v1::SlotConflict>(status). Empty when there are none.
template <typename Detail>
std::vector<Detail> DetailsOf(const grpc::Status& status) {
  return UnpackDetails<Detail>(RpcStatusDetails(status).details());
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_STATUS_GRPC_STATUS_H_
