#include "tests/support/status_details.h"

#include "common/status/grpc_status.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/status.pb.h"

namespace velknee::test {

std::string ErrorReason(const grpc::Status& status) {
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info) && info.domain() == "velknee") return info.reason();
  }
  return "";
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::vector<google::rpc::PreconditionFailure::Violation> PreconditionViolations(
    const grpc::Status& status) {
  std::vector<google::rpc::PreconditionFailure::Violation> violations;
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::PreconditionFailure failure;
    if (!detail.UnpackTo(&failure)) continue;
    for (const auto& violation : failure.violations()) violations.push_back(violation);
  }
  return violations;
}

std::vector<std::string> PreconditionSubjects(const grpc::Status& status) {
  std::vector<std::string> subjects;
  for (const auto& violation : PreconditionViolations(status)) {
    subjects.push_back(violation.subject());
  }
  return subjects;
}

std::vector<std::string> PreconditionDescriptions(const grpc::Status& status) {
  std::vector<std::string> descriptions;
  for (const auto& violation : PreconditionViolations(status)) {
    descriptions.push_back(violation.description());
  }
  return descriptions;
}

}  // namespace velknee::test
