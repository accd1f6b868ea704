#include "common/client/channel.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace velknee {

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const ChannelOptions& options,
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
        interceptors) {
  const bool tls_files = !options.tls.ca_file.empty() || !options.tls.cert_file.empty() ||
                         !options.tls.key_file.empty();
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (tls_files || (!IsLoopbackAddress(options.target) && !options.allow_insecure)) {
    VELKNEE_ASSIGN_OR_RETURN(credentials, ClientTlsCredentials(options.tls));
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      options.target, credentials, arguments, std::move(interceptors));
}

void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Time deadline) {
  context.set_deadline(absl::ToChronoTime(deadline));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

}  // namespace velknee
