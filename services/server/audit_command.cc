#include <sys/stat.h>

#include <cstdio>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Exception.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/audit/audit_log.h"
#include "services/server/commands.h"
#include "services/server/flags.h"
#include "services/server/service_set.h"

namespace velknee::server {
namespace {

bool Exists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

// Verifies one database's chain; prints the outcome and returns whether it is intact.
bool VerifyDatabase(const std::string& path, absl::string_view label) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    const absl::Status status = VerifyAuditChain(db);
    if (!status.ok()) {
      absl::PrintF("%s: FAILED: %s\n", label, status.message());
      return false;
    }
    const int64_t rows = db.execAndGet("SELECT count(*) FROM audit_log").getInt64();
    absl::PrintF("%s: intact (%d events)\n", label, rows);
    return true;
  } catch (const SQLite::Exception& e) {
    absl::PrintF("%s: FAILED: cannot read the audit log: %s\n", label, e.what());
    return false;
  }
}

}  // namespace

int AuditCommand(const std::vector<std::string>& args) {
  const std::string dir = absl::GetFlag(FLAGS_data_dir);
  if (args.size() != 1 || args[0] != "verify" || dir.empty()) {
    absl::FPrintF(stderr, "usage: velknee-server audit verify --data_dir=DIR\n");
    return 2;
  }
  bool intact = true;
  int checked = 0;
  for (const ServiceKind& kind : AllServiceKinds()) {
    const std::string path = absl::StrCat(dir, "/", kind.database);
    if (!Exists(path)) continue;
    ++checked;
    intact = VerifyDatabase(path, kind.database) && intact;
  }
  if (checked == 0) {
    absl::FPrintF(stderr, "error: no velknee database in %s\n", dir);
    return 1;
  }
  return intact ? 0 : 1;
}

}  // namespace velknee::server
