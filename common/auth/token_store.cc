#include "common/auth/token_store.h"

#include <sys/stat.h>

#include <cstdio>

#include "absl/time/clock.h"
#include "common/auth/tokens_file.h"
#include "common/crypto/sha256.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace velknee {
namespace {

struct stat StatOrZero(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) info = {};
  return info;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Open(std::string path) {
  std::unique_ptr<TokenStore> store(new TokenStore(std::move(path)));
  absl::MutexLock lock(&store->mu_);
  VELKNEE_RETURN_IF_ERROR(store->Reload());
  return store;
}

TokenStore::TokenStore(std::string path) : path_(std::move(path)) {}

absl::Status TokenStore::Reload() {
  const struct stat info = StatOrZero(path_);
  const FileVersion version{
      static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec,
      static_cast<int64_t>(info.st_size), static_cast<uint64_t>(info.st_ino)};
  last_check_ = absl::Now();
  attempted_version_ = version;
  if (version == loaded_version_) return absl::OkStatus();
  VELKNEE_ASSIGN_OR_RETURN(std::vector<TokenRecord> records, ReadTokensFile(path_));
  loaded_version_ = version;
  by_digest_.clear();
  for (TokenRecord& record : records) {
    by_digest_[record.token_sha256_hex] = std::move(record.principal);
  }
  return absl::OkStatus();
}

void TokenStore::ReloadIfChanged() {
  if (absl::Now() - last_check_ < kReloadInterval) return;
  if (absl::Status status = Reload(); !status.ok() && attempted_version_ != reported_version_) {
    reported_version_ = attempted_version_;
    std::fprintf(stderr, "velknee: keeping the previous tokens: %s\n",
                 std::string(status.message()).c_str());
  }
}

absl::StatusOr<Principal> TokenStore::Authenticate(absl::string_view token) {
  const std::string digest = Sha256Hex(token);
  absl::MutexLock lock(&mu_);
  ReloadIfChanged();
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) {
    return WithReason(
        absl::UnauthenticatedError("the bearer token is not valid (unknown or revoked)"),
        "TOKEN_INVALID");
  }
  return it->second;
}

}  // namespace velknee
