#ifndef VELKNEE_COMMON_AUTH_TOKEN_STORE_H_
#define VELKNEE_COMMON_AUTH_TOKEN_STORE_H_

// The running server's view of the tokens file. It notices a changed file (a token added or
// revoked by `velknee-server tokens`) within kReloadInterval of the change, without a restart.
//
// Thread-safe.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace velknee {

class TokenStore {
 public:
  static constexpr absl::Duration kReloadInterval = absl::Milliseconds(250);

  // Loads `path`. NOT_FOUND when it does not exist, INVALID_ARGUMENT when it is malformed.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Open(std::string path);

  // The principal of bearer token `token`; UNAUTHENTICATED when no such token is (still) in the
  // file. If the file has since become unreadable or malformed, the last good contents are
  // used and the problem is written to stderr once per change.
  absl::StatusOr<Principal> Authenticate(absl::string_view token) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct FileVersion {
    int64_t mtime_ns = 0;
    int64_t size = -1;
    uint64_t inode = 0;
    bool operator==(const FileVersion&) const = default;
  };

  explicit TokenStore(std::string path);
  absl::Status Reload() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReloadIfChanged() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;

  absl::Mutex mu_;
  absl::Time last_check_ ABSL_GUARDED_BY(mu_);
  FileVersion loaded_version_ ABSL_GUARDED_BY(mu_);
  // The version last read (or tried), and the last unreadable version reported on stderr: a bad
  // file is retried at every check but reported once.
  FileVersion attempted_version_ ABSL_GUARDED_BY(mu_);
  FileVersion reported_version_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Principal> by_digest_ ABSL_GUARDED_BY(mu_);
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUTH_TOKEN_STORE_H_
