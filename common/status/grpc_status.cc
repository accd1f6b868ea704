#include "common/status/grpc_status.h"

#include <string>

#include "common/status/errors.h"
#include "common/status/payloads.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"

namespace velknee {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  absl::Status with_info = status;
  if (!status.GetPayload(DetailTypeUrl(google::rpc::ErrorInfo())).has_value()) {
    with_info = WithReason(status, absl::StatusCodeToString(status.code()));
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  with_info.ForEachPayload([&details](absl::string_view type_url, const absl::Cord& value) {
    google::protobuf::Any* any = details.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(value));
  });
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
  // Named, not a temporary: a range-for over a member of a temporary reads freed memory.
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& any : details.details()) {
    result.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return result;
}

}  // namespace velknee
