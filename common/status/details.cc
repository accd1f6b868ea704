#include "common/status/details.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"

namespace velknee {
namespace {

// The payload key: the type URL of the message the payload holds.
constexpr absl::string_view kDetailsPayload = "type.googleapis.com/google.rpc.Status";

google::rpc::Status DetailsHolder(const absl::Status& status) {
  google::rpc::Status holder;
  if (const auto payload = status.GetPayload(kDetailsPayload); payload.has_value()) {
    holder.ParseFromString(std::string(*payload));
  }
  return holder;
}

void StoreDetails(absl::Status& status, const google::rpc::Status& holder) {
  status.SetPayload(kDetailsPayload, absl::Cord(holder.SerializeAsString()));
}

}  // namespace

void AddDetail(absl::Status& status, const google::protobuf::Message& detail) {
  if (status.ok()) return;
  google::rpc::Status holder = DetailsHolder(status);
  holder.add_details()->PackFrom(detail);
  StoreDetails(status, holder);
}

void ReplaceDetail(absl::Status& status, const google::protobuf::Message& detail) {
  if (status.ok()) return;
  google::protobuf::Any packed;
  packed.PackFrom(detail);
  google::rpc::Status holder = DetailsHolder(status);
  google::protobuf::RepeatedPtrField<google::protobuf::Any>& details = *holder.mutable_details();
  details.erase(std::remove_if(details.begin(), details.end(),
                               [&](const google::protobuf::Any& any) {
                                 return any.type_url() == packed.type_url();
                               }),
                details.end());
  *details.Add() = std::move(packed);
  StoreDetails(status, holder);
}

google::protobuf::RepeatedPtrField<google::protobuf::Any> Details(const absl::Status& status) {
  return std::move(*DetailsHolder(status).mutable_details());
}

void SetDetails(absl::Status& status,
                const google::protobuf::RepeatedPtrField<google::protobuf::Any>& details) {
  if (status.ok()) return;
  if (details.empty()) {
    status.ErasePayload(kDetailsPayload);
    return;
  }
  google::rpc::Status holder;
  *holder.mutable_details() = details;
  StoreDetails(status, holder);
}

}  // namespace velknee
