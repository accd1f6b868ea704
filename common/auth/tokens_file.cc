#include "common/auth/tokens_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "common/crypto/random.h"
#include "common/crypto/sha256.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace velknee {
namespace {

constexpr absl::string_view kHeader =
    "# velknee tokens: sha256(token)\tprincipal\trole\ttherapist\tcreated\n"
    "# Manage with `velknee-server tokens add|list|revoke`; tokens themselves are never stored.\n";

std::string ErrnoText() { return std::strerror(errno); }

// Holds an exclusive advisory lock on "<path>.lock" for the lifetime of the object.
class FileLock {
 public:
  static absl::StatusOr<FileLock> Acquire(const std::string& path) {
    const std::string lock_path = path + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::UnavailableError(absl::StrCat("cannot open ", lock_path, ": ", ErrnoText()));
    }
    if (::flock(fd, LOCK_EX) != 0) {
      ::close(fd);
      return absl::UnavailableError(absl::StrCat("cannot lock ", lock_path, ": ", ErrnoText()));
    }
    return FileLock(fd);
  }
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // Closing releases the lock.
  }

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

absl::Status WriteTokensFile(const std::string& path, const std::vector<TokenRecord>& records) {
  std::string text(kHeader);
  for (const TokenRecord& r : records) {
    absl::StrAppend(&text, r.token_sha256_hex, "\t", r.principal.id, "\t",
                    RoleName(r.principal.role), "\t",
                    r.principal.therapist.empty() ? "-" : r.principal.therapist, "\t",
                    absl::FormatTime(absl::RFC3339_sec, r.create_time, absl::UTCTimeZone()), "\n");
  }
  const std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot write ", temp, ": ", ErrnoText()));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

absl::StatusOr<TokenRecord> ParseLine(absl::string_view line) {
  const std::vector<absl::string_view> parts = absl::StrSplit(line, '\t');
  if (parts.size() != 5) return absl::InvalidArgumentError("expected 5 tab-separated fields");
  TokenRecord record;
  record.token_sha256_hex = std::string(parts[0]);
  if (record.token_sha256_hex.size() != 64) {
    return absl::InvalidArgumentError("first field must be a SHA-256 hex digest");
  }
  record.principal.id = std::string(parts[1]);
  std::optional<Role> role = ParseRole(parts[2]);
  if (!role.has_value()) return absl::InvalidArgumentError(absl::StrCat("unknown role ", parts[2]));
  record.principal.role = *role;
  if (parts[3] != "-") record.principal.therapist = std::string(parts[3]);
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, parts[4], &record.create_time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("bad creation time: ", error));
  }
  VELKNEE_RETURN_IF_ERROR(ValidatePrincipal(record.principal));
  return record;
}

}  // namespace

absl::StatusOr<std::vector<TokenRecord>> ReadTokensFile(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
    return absl::NotFoundError(absl::StrCat(
        "tokens file ", path, " does not exist; create it with `velknee-server tokens add`"));
  }
  std::ifstream in(path);
  if (!in) {
    return absl::UnavailableError(
        absl::StrCat("cannot read tokens file ", path, ": ", ErrnoText()));
  }
  std::vector<TokenRecord> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    absl::StatusOr<TokenRecord> record = ParseLine(line);
    if (!record.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens file ", path, " line ", number, ": ", record.status().message()));
    }
    records.push_back(*std::move(record));
  }
  return records;
}

absl::Status ValidatePrincipal(const Principal& principal) {
  const std::string& id = principal.id;
  bool id_ok = !id.empty() && id.size() <= 64;
  for (char c : id) {
    id_ok = id_ok &&
            (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' || c == '_' || c == '-');
  }
  if (!id_ok) return InvalidField("principal", "must be 1-64 of a-z, 0-9, '.', '_' and '-'");
  if (principal.role == Role::kTherapist) {
    return ParseResourceName(principal.therapist, "therapists/{therapist}", "therapist").status();
  }
  if (!principal.therapist.empty()) {
    return InvalidField("therapist", "is only for therapist tokens");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> AddToken(const std::string& path, const Principal& principal) {
  VELKNEE_RETURN_IF_ERROR(ValidatePrincipal(principal));
  VELKNEE_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(path));
  absl::StatusOr<std::vector<TokenRecord>> records = ReadTokensFile(path);
  if (absl::IsNotFound(records.status())) records = std::vector<TokenRecord>();
  if (!records.ok()) return records.status();
  std::string token = NewBearerToken();
  records->push_back(TokenRecord{Sha256Hex(token), principal, absl::Now()});
  VELKNEE_RETURN_IF_ERROR(WriteTokensFile(path, *records));
  return token;
}

absl::StatusOr<int> RevokeTokens(const std::string& path, absl::string_view id) {
  VELKNEE_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(path));
  VELKNEE_ASSIGN_OR_RETURN(std::vector<TokenRecord> records, ReadTokensFile(path));
  const size_t before = records.size();
  std::erase_if(records, [id](const TokenRecord& r) { return r.principal.id == id; });
  const int removed = static_cast<int>(before - records.size());
  if (removed == 0) {
    return absl::NotFoundError(absl::StrCat("principal ", id, " has no tokens in ", path));
  }
  VELKNEE_RETURN_IF_ERROR(WriteTokensFile(path, records));
  return removed;
}

}  // namespace velknee
