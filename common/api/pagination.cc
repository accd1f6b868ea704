#include "common/api/pagination.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/serialization.h"
#include "common/crypto/sha256.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "google/protobuf/struct.pb.h"

namespace velknee {
namespace {

constexpr size_t kChecksumBytes = 12;
constexpr absl::string_view kChecksumContext = "velknee page token v1\n";

std::string Checksum(absl::string_view payload) {
  return Sha256(absl::StrCat(kChecksumContext, payload)).substr(0, kChecksumBytes);
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

std::string QueryFingerprint(const google::protobuf::Message& list_request) {
  std::unique_ptr<google::protobuf::Message> query(list_request.New());
  query->CopyFrom(list_request);
  for (const char* paging_field : {"page_size", "page_token"}) {
    if (const auto* field = query->GetDescriptor()->FindFieldByName(paging_field)) {
      query->GetReflection()->ClearField(query.get(), field);
    }
  }
  // Hex, because the token stores it in a proto string field, which must be UTF-8.
  return Sha256Hex(query->GetDescriptor()->full_name() + "\n" + DeterministicBytes(*query))
      .substr(0, 32);
}

std::string EncodePageToken(absl::string_view query_fingerprint,
                            const std::vector<std::string>& last_key) {
  google::protobuf::ListValue values;
  values.add_values()->set_string_value(std::string(query_fingerprint));
  for (const std::string& part : last_key) values.add_values()->set_string_value(part);
  std::string payload = DeterministicBytes(values);
  payload.append(Checksum(payload));
  return absl::WebSafeBase64Escape(payload);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view page_token,
                                                         absl::string_view query_fingerprint) {
  if (page_token.empty()) return std::vector<std::string>();
  const auto not_ours = [] {
    return InvalidField(
        "page_token", "is not a token from a previous page of this list; start again without one");
  };
  std::string raw;
  if (!absl::WebSafeBase64Unescape(page_token, &raw) || raw.size() <= kChecksumBytes) {
    return not_ours();
  }
  const absl::string_view payload(raw.data(), raw.size() - kChecksumBytes);
  if (Checksum(payload) != raw.substr(raw.size() - kChecksumBytes)) return not_ours();
  google::protobuf::ListValue values;
  if (!values.ParseFromArray(payload.data(), static_cast<int>(payload.size())) ||
      values.values_size() < 1) {
    return not_ours();
  }
  if (values.values(0).string_value() != query_fingerprint) {
    return InvalidField("page_token",
                        "was issued for a different query; keep the filter unchanged while "
                        "paging or start again without a token");
  }
  std::vector<std::string> key;
  for (int i = 1; i < values.values_size(); ++i) key.push_back(values.values(i).string_value());
  return key;
}

absl::StatusOr<PageRequest> ReadPageRequest(const google::protobuf::Message& list_request) {
  const google::protobuf::Descriptor* type = list_request.GetDescriptor();
  const google::protobuf::Reflection* reflection = list_request.GetReflection();
  PageRequest page;
  VELKNEE_ASSIGN_OR_RETURN(page.page_size, ResolvePageSize(reflection->GetInt32(
                                               list_request, type->FindFieldByName("page_size"))));
  page.query_fingerprint = QueryFingerprint(list_request);
  VELKNEE_ASSIGN_OR_RETURN(
      const std::vector<std::string> key,
      DecodePageToken(reflection->GetString(list_request, type->FindFieldByName("page_token")),
                      page.query_fingerprint));
  if (key.size() > 1) return InvalidField("page_token", "is not a token for this list");
  if (!key.empty()) page.after_id = key.front();
  return page;
}

std::string NextPageToken(const PageRequest& request, const std::string& next_after_id) {
  if (next_after_id.empty()) return "";
  return EncodePageToken(request.query_fingerprint, {next_after_id});
}

}  // namespace velknee
