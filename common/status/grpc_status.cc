#include "common/status/grpc_status.h"

#include <string>

#include "common/status/details.h"
#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"

namespace velknee {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  absl::Status with_info = status;
  if (DetailsOf<google::rpc::ErrorInfo>(status).empty()) {
    with_info = WithReason(status, absl::StatusCodeToString(status.code()));
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  *details.mutable_details() = Details(with_info);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      details.SerializeAsString());
}

google::rpc::Status RpcStatusDetails(const grpc::Status& status) {
  google::rpc::Status details;
  if (!status.error_details().empty()) {
    details.ParseFromString(status.error_details());
  }
  return details;
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  SetDetails(result, RpcStatusDetails(status).details());
  return result;
}

}  // namespace velknee
