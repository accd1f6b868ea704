#include "common/tls/credentials.h"

#include <arpa/inet.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace velknee {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view what) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream content;
  content << in.rdbuf();
  if (content.str().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, " is empty"));
  }
  return content.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerTlsCredentials(
    const TlsFiles& files) {
  if (files.cert_file.empty() || files.key_file.empty()) {
    return absl::InvalidArgumentError("TLS needs both --tls_cert_file and --tls_key_file");
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  VELKNEE_ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(files.cert_file, "TLS certificate"));
  VELKNEE_ASSIGN_OR_RETURN(pair.private_key, ReadPem(files.key_file, "TLS key"));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!files.ca_file.empty()) {
    VELKNEE_ASSIGN_OR_RETURN(options.pem_root_certs, ReadPem(files.ca_file, "client CA"));
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ClientTlsCredentials(
    const TlsFiles& files) {
  grpc::SslCredentialsOptions options;
  if (!files.ca_file.empty()) {
    VELKNEE_ASSIGN_OR_RETURN(options.pem_root_certs, ReadPem(files.ca_file, "TLS CA"));
  }
  if (!files.cert_file.empty() || !files.key_file.empty()) {
    VELKNEE_ASSIGN_OR_RETURN(options.pem_cert_chain,
                             ReadPem(files.cert_file, "TLS client certificate"));
    VELKNEE_ASSIGN_OR_RETURN(options.pem_private_key, ReadPem(files.key_file, "TLS client key"));
  }
  return grpc::SslCredentials(options);
}

bool IsLoopbackAddress(absl::string_view host_and_port) {
  absl::string_view host = host_and_port;
  if (absl::StartsWith(host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) return false;
    host = host.substr(1, close - 1);
  } else if (const size_t colon = host.rfind(':'); colon != absl::string_view::npos) {
    host = host.substr(0, colon);
  }
  if (host == "localhost" || host == "::1") return true;
  // Only a numeric address is loopback by its text: a name like "127.example.com" resolves
  // wherever its owner wants.
  in_addr v4;
  return ::inet_pton(AF_INET, std::string(host).c_str(), &v4) == 1 &&
         (ntohl(v4.s_addr) >> 24) == 127;
}

}  // namespace velknee
