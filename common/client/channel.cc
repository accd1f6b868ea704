#include "common/client/channel.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "grpcpp/create_channel.h"

namespace velknee {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const ChannelOptions& options) {
  const bool tls_files = !options.tls.ca_file.empty() || !options.tls.cert_file.empty() ||
                         !options.tls.key_file.empty();
  if (tls_files || (!IsLoopbackAddress(options.target) && !options.allow_insecure)) {
    return ClientTlsCredentials(options.tls);
  }
  return grpc::InsecureChannelCredentials();
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ChannelOptions& options) {
  VELKNEE_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> credentials,
                           MakeChannelCredentials(options));
  return grpc::CreateChannel(options.target, credentials);
}

void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Time deadline) {
  context.set_deadline(absl::ToChronoTime(deadline));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

}  // namespace velknee
