#ifndef VELKNEE_COMMON_TLS_CREDENTIALS_H_
#define VELKNEE_COMMON_TLS_CREDENTIALS_H_

// Transport security for servers and clients from PEM files.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace velknee {

struct TlsFiles {
  std::string cert_file;  // PEM certificate chain presented to the other side.
  std::string key_file;   // PEM private key of cert_file.
  std::string ca_file;    // PEM roots that verify the other side.
};

// Server TLS with `cert_file` and `key_file`; when `ca_file` is set, clients must present a
// certificate signed by it (mTLS). INVALID_ARGUMENT / NOT_FOUND when a file is missing or empty.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerTlsCredentials(
    const TlsFiles& files);

// Client TLS verifying the server against `ca_file` (the system roots when empty), presenting
// `cert_file`/`key_file` when both are set (for servers that require mTLS).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ClientTlsCredentials(
    const TlsFiles& files);

// True for 127.0.0.0/8, ::1 and localhost, given "host:port" or "[v6]:port".
bool IsLoopbackAddress(absl::string_view host_and_port);

}  // namespace velknee

#endif  // VELKNEE_COMMON_TLS_CREDENTIALS_H_
