#include "common/status/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/details.h"
#include "google/rpc/error_details.pb.h"

namespace velknee {

void FieldViolations::Add(absl::string_view field, absl::string_view rule) {
  violations_.emplace_back(std::string(field), std::string(rule));
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const auto& [field, rule] : violations_) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(rule);
    parts.push_back(absl::StrCat(field, ": ", rule));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  AddDetail(status, bad_request);
  return WithReason(std::move(status), "INVALID_FIELD");
}

absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  FieldViolations violations;
  violations.Add(field, rule);
  return violations.ToStatus();
}

absl::Status PreconditionFailed(absl::string_view reason, absl::string_view summary,
                                const std::vector<PreconditionViolation>& violations) {
  google::rpc::PreconditionFailure failure;
  std::vector<std::string> descriptions;
  for (const PreconditionViolation& v : violations) {
    auto* out = failure.add_violations();
    out->set_type(v.type);
    out->set_subject(v.subject);
    out->set_description(v.description);
    descriptions.push_back(v.description);
  }
  std::string message(summary);
  if (!descriptions.empty()) {
    absl::StrAppend(&message, ": ", absl::StrJoin(descriptions, "; "));
  }
  absl::Status status = absl::FailedPreconditionError(message);
  AddDetail(status, failure);
  return WithReason(std::move(status), reason);
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  ReplaceDetail(status, info);
  return status;
}

absl::Status WithErrorMetadata(absl::Status status, absl::string_view key,
                               absl::string_view value) {
  std::vector<google::rpc::ErrorInfo> infos = DetailsOf<google::rpc::ErrorInfo>(status);
  google::rpc::ErrorInfo info = infos.empty() ? google::rpc::ErrorInfo() : infos.front();
  if (infos.empty()) info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())[std::string(key)] = std::string(value);
  ReplaceDetail(status, info);
  return status;
}

absl::Status ResourceNotFound(absl::string_view resource_name) {
  return WithReason(absl::NotFoundError(absl::StrCat(resource_name, " does not exist")),
                    "RESOURCE_NOT_FOUND");
}

}  // namespace velknee
