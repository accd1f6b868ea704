// velknee-bench: velknee's own benchmark. Starts (or targets) a velknee-server, seeds it through
// the API, drives named workloads with N calls in flight, measures the ceilings of this machine
// in the same run (a bare gRPC echo server, a single-thread SQLite commit loop) and reports each
// workload against DESIGN §11 (docs/performance.md).

#include <sys/statfs.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tools/bench/child_process.h"
#include "tools/bench/clinic.h"
#include "tools/bench/echo_server.h"
#include "tools/bench/load.h"
#include "tools/bench/report.h"
#include "tools/bench/scale.h"
#include "tools/bench/seed.h"
#include "tools/bench/sqlite_loop.h"
#include "tools/bench/workloads.h"

ABSL_FLAG(std::string, workloads, "get-client,list-clients,create-client,create-note,book,mixed",
          "comma-separated workloads to run, in this order");
ABSL_FLAG(int, in_flight, 64, "calls (operations) kept in flight");
ABSL_FLAG(double, seconds, 10, "measured seconds per workload and per ceiling");
ABSL_FLAG(double, warmup_seconds, 2, "seconds of load before each measurement, not measured");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(10), "each call's deadline");
ABSL_FLAG(int, client_threads, 2,
          "load-generator threads, each with its own connection and completion queue");
ABSL_FLAG(int, clients, 1000, "clients seeded for the workloads to read, search and book");
ABSL_FLAG(bool, ceilings, true, "measure the echo server and the SQLite loop");
ABSL_FLAG(std::string, server_binary, "",
          "the velknee-server to start (default: the one beside velknee-bench)");
ABSL_FLAG(std::vector<std::string>, server_flags, {},
          "comma-separated extra flags for the started server, e.g. --sqlite_synchronous=NORMAL");
ABSL_FLAG(std::string, target, "",
          "HOST:PORT of a running velknee-server (plaintext) instead of starting one");
ABSL_FLAG(std::string, token_file, "",
          "with --target: VELKNEE_ADMIN_TOKEN=, VELKNEE_DESK_TOKEN= and VELKNEE_THERAPIST_TOKEN= "
          "lines (deploy/quickstart.sh's var/dev-tokens.env)");
ABSL_FLAG(std::string, work_dir, "",
          "where the scratch directory (the started server's data, the SQLite loop's database) "
          "goes; put it on the filesystem the server's data lives on (default: $TMPDIR or /tmp)");
ABSL_FLAG(bool, json, false, "print the report as JSON");
ABSL_FLAG(bool, check, false, "exit 1 when a measured DESIGN §11 target is missed");
ABSL_FLAG(bool, scale, false,
          "scale mode: List* page cost and server memory at --scale_small_rows and --scale_rows");
ABSL_FLAG(uint64_t, scale_rows, 1000000,
          "scale mode: the large size (clients, notes, appointments)");
ABSL_FLAG(uint64_t, scale_small_rows, 10000, "scale mode: the small size");
ABSL_FLAG(std::string, listen, "127.0.0.1:0", "echo-server: HOST:PORT to serve on");

namespace velknee::bench {
namespace {

constexpr int kTherapists = 4;
constexpr int kPlans = 8;

int UsageError(const std::string& message) {
  absl::FPrintF(stderr, "velknee-bench: %s\n", message);
  return 2;
}

std::string FilesystemOf(const std::string& path) {
  struct statfs info;
  if (::statfs(path.c_str(), &info) != 0) return "unknown";
  switch (static_cast<unsigned long>(info.f_type)) {
    case 0xEF53:
      return "ext4";
    case 0x01021994:
      return "tmpfs";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794C7630:
      return "overlayfs";
    default:
      return absl::StrFormat("type 0x%x", static_cast<unsigned long>(info.f_type));
  }
}

absl::Duration SecondsFlag(double seconds) { return absl::Seconds(seconds); }

class Bench {
 public:
  int Run() {
    const std::string work_dir = WorkDir();
    absl::StatusOr<std::unique_ptr<ScratchDir>> scratch = ScratchDir::Make(work_dir);
    if (!scratch.ok()) return Fail(scratch.status());
    absl::StatusOr<std::unique_ptr<Clinic>> clinic = StartClinic(**scratch);
    if (!clinic.ok()) return Fail(clinic.status());
    clinic_ = clinic->get();
    std::unique_ptr<ChildProcess> echo;
    if (absl::GetFlag(FLAGS_ceilings) && !absl::GetFlag(FLAGS_scale)) {
      absl::StatusOr<std::unique_ptr<ChildProcess>> started =
          ChildProcess::Start({OwnExecutable(), "echo-server", "--listen=127.0.0.1:0"});
      if (!started.ok()) return Fail(started.status());
      echo = std::move(*started);
    }

    const int threads = absl::GetFlag(FLAGS_client_threads);
    const std::vector<std::shared_ptr<grpc::Channel>> channels =
        Connect((*clinic)->target(), threads);
    const bool scale = absl::GetFlag(FLAGS_scale);
    absl::StatusOr<std::unique_ptr<Records>> records =
        NewRecords(channels.front(), (*clinic)->tokens(), scale ? kScaleTherapists : kTherapists,
                   scale ? kScalePlans : kPlans);
    if (!records.ok()) return Fail(records.status());
    const uint64_t clients =
        std::max<uint64_t>(absl::GetFlag(FLAGS_clients), scale ? kScaleTherapists : kTherapists);
    if (absl::Status seeded = AddClients(channels, **records, clients, SeedOptions());
        !seeded.ok()) {
      return Fail(seeded);
    }

    Report report;
    Describe(report, work_dir, (*scratch)->path());
    if (!scale) {
      // Each ceiling is measured just before the workload it is the ceiling of, so that both
      // see the same minute of a shared machine; without that workload, before the first.
      const std::vector<std::string> names = absl::StrSplit(absl::GetFlag(FLAGS_workloads), ',');
      auto runs = [&names](const char* name) {
        return std::find(names.begin(), names.end(), name) != names.end();
      };
      std::vector<std::shared_ptr<grpc::Channel>> echo_channels;
      if (echo != nullptr) {
        absl::StatusOr<std::string> echo_target = echo->WaitForListening(absl::Seconds(30));
        if (!echo_target.ok()) return Fail(echo_target.status());
        echo_channels = Connect(*echo_target, threads);
      }
      auto ceiling_of = [&](const std::string& workload) -> absl::Status {
        if (echo == nullptr) return absl::OkStatus();
        if (workload == "get-client") MeasureEcho(echo_channels, **records, report);
        if (workload == "create-client") return MeasureSqliteLoop((*scratch)->path(), report);
        return absl::OkStatus();
      };
      for (const char* workload : {"get-client", "create-client"}) {
        if (runs(workload)) continue;
        if (absl::Status measured = ceiling_of(workload); !measured.ok()) return Fail(measured);
      }
      for (const std::string& name : names) {
        if (absl::Status measured = ceiling_of(name); !measured.ok()) return Fail(measured);
        absl::StatusOr<Workload> workload = WorkloadNamed(name, **records);
        if (!workload.ok()) return Fail(workload.status());
        report.rows.push_back({workload->name, workload->description,
                               RunLoad(channels, workload->make, MeasureOptions())});
        if (Interrupted()) break;
      }
    } else {
      const ScaleOptions options{absl::GetFlag(FLAGS_scale_small_rows),
                                 absl::GetFlag(FLAGS_scale_rows), SeedOptions(), MeasureOptions()};
      if (absl::Status status =
              RunScale(channels, **records, (*clinic)->server_pid(), options, report);
          !status.ok()) {
        return Fail(status);
      }
    }
    if (Interrupted()) return Fail(absl::CancelledError("interrupted"));
    AddThroughputChecks(report);
    absl::PrintF("%s", absl::GetFlag(FLAGS_json) ? JsonText(report) + "\n" : TableText(report));
    if (report.ErrorCount() > 0) {
      absl::FPrintF(stderr, "velknee-bench: %d calls failed; the server's last output:\n%s\n",
                    report.ErrorCount(), (*clinic)->ServerOutput());
      return 3;
    }
    return absl::GetFlag(FLAGS_check) && !report.AllMet() ? 1 : 0;
  }

 private:
  static std::string WorkDir() {
    if (std::string dir = absl::GetFlag(FLAGS_work_dir); !dir.empty()) return dir;
    const char* tmp = std::getenv("TMPDIR");
    return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }

  static absl::StatusOr<std::unique_ptr<Clinic>> StartClinic(const ScratchDir& scratch) {
    if (std::string target = absl::GetFlag(FLAGS_target); !target.empty()) {
      return Clinic::Target(target, absl::GetFlag(FLAGS_token_file));
    }
    std::string server = absl::GetFlag(FLAGS_server_binary);
    if (server.empty()) {
      const std::string self = OwnExecutable();
      server = absl::StrCat(self.substr(0, self.rfind('/') + 1), "velknee-server");
    }
    return Clinic::Start(server, absl::GetFlag(FLAGS_server_flags), scratch);
  }

  static LoadOptions MeasureOptions() {
    LoadOptions options;
    options.in_flight = absl::GetFlag(FLAGS_in_flight);
    options.client_threads = absl::GetFlag(FLAGS_client_threads);
    options.warmup = SecondsFlag(absl::GetFlag(FLAGS_warmup_seconds));
    options.duration = SecondsFlag(absl::GetFlag(FLAGS_seconds));
    options.deadline = absl::GetFlag(FLAGS_deadline);
    return options;
  }

  static LoadOptions SeedOptions() {
    LoadOptions options = MeasureOptions();
    options.warmup = absl::ZeroDuration();
    return options;
  }

  static void Describe(Report& report, const std::string& work_dir, const std::string& scratch) {
    report.setup = {
        {"date", absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone())},
        {"cores", absl::StrCat(std::thread::hardware_concurrency())},
        {"server", absl::GetFlag(FLAGS_target).empty()
                       ? absl::StrCat("started by the benchmark, data in ", scratch)
                       : absl::StrCat("running at ", absl::GetFlag(FLAGS_target))},
        {"filesystem", absl::StrCat(FilesystemOf(work_dir), " (", work_dir, ")")},
        {"in flight", absl::StrCat(absl::GetFlag(FLAGS_in_flight))},
        {"client threads", absl::StrCat(absl::GetFlag(FLAGS_client_threads))},
        {"measured",
         absl::StrFormat("%gs per workload after %gs of warm-up", absl::GetFlag(FLAGS_seconds),
                         absl::GetFlag(FLAGS_warmup_seconds))},
    };
    if (FilesystemOf(work_dir) == "tmpfs") {
      report.notes.push_back(
          "WARNING: the work dir is on tmpfs, where fsync costs nothing: durable-write numbers "
          "mean nothing here (use --work_dir on a disk).");
    }
  }

  // The echo server answers a real GetClientRequest's bytes with the same bytes.
  static void MeasureEcho(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                          Records& records, Report& report) {
    const Workload get_client = *WorkloadNamed("get-client", records);
    const OperationFactory echo = [&get_client](uint64_t n) -> std::unique_ptr<Operation> {
      std::optional<Call> call = get_client.make(n)->Next(nullptr);
      call->method = "/velknee.bench.Echo/Echo";
      return std::make_unique<SingleCall>(*std::move(call));
    };
    report.rows.push_back({kEchoRow, "bare gRPC echo of a GetClientRequest's bytes",
                           RunLoad(channels, echo, MeasureOptions())});
  }

  static absl::Status MeasureSqliteLoop(const std::string& dir, Report& report) {
    absl::StatusOr<LoadResult> loop =
        RunSqliteLoop(dir, SecondsFlag(absl::GetFlag(FLAGS_warmup_seconds)),
                      SecondsFlag(absl::GetFlag(FLAGS_seconds)));
    if (!loop.ok()) return loop.status();
    report.rows.push_back({kSqliteRow,
                           "SQLite commit of one 1 KB row (1 thread, WAL, synchronous=FULL)",
                           *std::move(loop)});
    return absl::OkStatus();
  }

  int Fail(const absl::Status& status) {
    absl::FPrintF(stderr, "velknee-bench: %s\n", status.message());
    if (Interrupted()) return 130;
    if (clinic_ != nullptr && !clinic_->ServerOutput().empty()) {
      absl::FPrintF(stderr, "the server's last output:\n%s\n", clinic_->ServerOutput());
    }
    return 1;
  }

  const Clinic* clinic_ = nullptr;
};

// The flags' rules; an empty string when they hold.
std::string FlagProblem() {
  if (absl::GetFlag(FLAGS_in_flight) < 1) return "--in_flight must be at least 1";
  if (absl::GetFlag(FLAGS_client_threads) < 1) return "--client_threads must be at least 1";
  if (absl::GetFlag(FLAGS_client_threads) > absl::GetFlag(FLAGS_in_flight)) {
    return "--client_threads must not exceed --in_flight";
  }
  if (!(absl::GetFlag(FLAGS_seconds) > 0)) return "--seconds must be more than 0";
  if (!(absl::GetFlag(FLAGS_warmup_seconds) >= 0)) return "--warmup_seconds must not be negative";
  if (absl::GetFlag(FLAGS_deadline) <= absl::ZeroDuration()) return "--deadline must be positive";
  if (absl::GetFlag(FLAGS_clients) < 1) return "--clients must be at least 1";
  for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_workloads), ',')) {
    if (absl::Status known = KnownWorkload(std::string(name)); !known.ok()) {
      return std::string(known.message());
    }
  }
  if (absl::GetFlag(FLAGS_target).empty() != absl::GetFlag(FLAGS_token_file).empty()) {
    return "--target and --token_file go together";
  }
  if (absl::GetFlag(FLAGS_scale_small_rows) < 1 ||
      absl::GetFlag(FLAGS_scale_rows) <= absl::GetFlag(FLAGS_scale_small_rows)) {
    return "--scale_rows must be more than --scale_small_rows, which must be at least 1";
  }
  return "";
}

}  // namespace
}  // namespace velknee::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "velknee's benchmark (docs/performance.md).\n\n"
      "  velknee-bench [--workloads=get-client,...] [--in_flight=64] [--seconds=10] [--json] "
      "[--check]\n"
      "      start velknee-server and measure each workload and the ceilings\n"
      "  velknee-bench --target=HOST:PORT --token_file=FILE ...\n"
      "      the same against a running server\n"
      "  velknee-bench --scale [--scale_rows=1000000]\n"
      "      List* page cost and server memory at 10k and at --scale_rows rows\n"
      "  velknee-bench echo-server --listen=HOST:PORT\n"
      "      the bare echo server the benchmark starts as its read ceiling\n\n"
      "Flags:");
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "tools/bench/");
  };
  absl::SetFlagsUsageConfig(usage_config);
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    if (std::string(positional[1]) == "echo-server" && positional.size() == 2) {
      return velknee::bench::RunEchoServer(absl::GetFlag(FLAGS_listen));
    }
    return velknee::bench::UsageError(
        absl::StrCat("unknown command ", positional[1], " (echo-server, or none to benchmark)"));
  }
  if (const std::string problem = velknee::bench::FlagProblem(); !problem.empty()) {
    return velknee::bench::UsageError(problem);
  }
  velknee::bench::CatchInterrupts();
  return velknee::bench::Bench().Run();
}
