#include "tests/e2e/clinic_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::test {

namespace {

// `count` distinct loopback ports, free a moment ago, below Linux's default ephemeral range
// (32768 and up): the kernel does not hand those out to outgoing connections, so nothing takes
// one between this check and the launcher's bind, nor while a killed service is down. Each
// stays bound until all are picked, so no port is picked twice.
std::vector<int> FreeLoopbackPorts(int count) {
  absl::BitGen random;
  std::vector<int> sockets;
  std::vector<int> ports;
  for (int attempt = 0; attempt < 200 && static_cast<int>(ports.size()) < count; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) break;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int port = absl::Uniform(random, 20000, 32768);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd);
      continue;
    }
    sockets.push_back(fd);
    ports.push_back(port);
  }
  for (int fd : sockets) ::close(fd);
  return ports;
}

// Whether `pid` is still a live process (a zombie left for init to reap counts as gone).
bool Alive(pid_t pid) {
  const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  const size_t state = stat.rfind(") ");
  return state != std::string::npos && stat.size() > state + 2 && stat[state + 2] != 'Z';
}

}  // namespace

std::string WriteFile(const TempDir& dir, absl::string_view name, absl::string_view text) {
  const std::string path = dir.File(name);
  std::ofstream(path) << text;
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

intake::v1::Assessment SubmittedIntakeFromFile(TabletCommand tablet, const TempDir& dir,
                                               const std::string& client, const std::string& tag,
                                               const std::string& json) {
  const CommandResult taken =
      tablet({"intake", "new", "--client=" + client, "--submit", "--json",
              "--from_file=" + WriteFile(dir, tag + "-assessment.json", json)});
  EXPECT_EQ(taken.exit_code, 0) << taken.err;
  return ParseJson<intake::v1::Assessment>(taken.out);
}

std::string ActivePlanFromFile(TabletCommand tablet, const TempDir& dir,
                               const std::string& assessment, const std::string& tag,
                               const std::string& json) {
  const CommandResult planned = tablet({"plan", "new", "--assessment=" + assessment, "--json",
                                        "--from_file=" + WriteFile(dir, tag + "-plan.json", json)});
  EXPECT_EQ(planned.exit_code, 0) << planned.err;
  const plans::v1::TreatmentPlan draft = ParseJson<plans::v1::TreatmentPlan>(planned.out);
  const CommandResult activated =
      tablet({"plan", "activate", draft.name(), "--etag=" + draft.etag(), "--json"});
  EXPECT_EQ(activated.exit_code, 0) << activated.err;
  EXPECT_EQ(ParseJson<plans::v1::TreatmentPlan>(activated.out).state(),
            plans::v1::TreatmentPlan::STATE_ACTIVE);
  return draft.name();
}

CommandResult RunDesk(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {DeskBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--timeout=5s");
  return RunCommand(argv, env, "", absl::Seconds(20));
}

CommandResult RunTablet(const std::vector<std::string>& args, const std::string& input,
                        const std::vector<std::string>& env) {
  std::vector<std::string> argv = {TabletBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--timeout=5s");
  return RunCommand(argv, env, input, absl::Seconds(20));
}

std::string AddTokenTo(const std::string& tokens_file, const std::string& token_path,
                       absl::string_view role, absl::string_view principal,
                       absl::string_view therapist) {
  std::vector<std::string> argv = {ServerBinary(),
                                   "tokens",
                                   "add",
                                   "--tokens_file=" + tokens_file,
                                   absl::StrCat("--role=", role),
                                   absl::StrCat("--principal=", principal)};
  if (!therapist.empty()) argv.push_back(absl::StrCat("--therapist=", therapist));
  const CommandResult result = RunCommand(argv, {}, "", absl::Seconds(10));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::string out(absl::StripTrailingAsciiWhitespace(result.out));
  std::ofstream(token_path) << out.substr(out.rfind('\n') + 1) << "\n";
  return token_path;
}

ClinicProcess::ClinicProcess() : service_token_file_(AddToken("service", "svc-e2e")) {}

std::string ClinicProcess::AddToken(absl::string_view role, absl::string_view principal,
                                    absl::string_view therapist) {
  return AddTokenTo(dir_.File("tokens"), dir_.File(absl::StrCat(principal, ".token")), role,
                    principal, therapist);
}

int ClinicProcess::Start(const std::vector<std::string>& extra_flags) {
  std::vector<std::string> argv = {
      ServerBinary(), "--listen=127.0.0.1:0", "--data_dir=" + DataDir(),
      "--tokens_file=" + dir_.File("tokens"), "--service_token_file=" + service_token_file_};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  server_ = std::make_unique<Process>(argv, dir_.File("server.log"));
  return WaitForListening(*server_);
}

int ClinicProcess::Stop() {
  if (server_ == nullptr) return -1;
  const int code = server_->Stop(SIGTERM, absl::Seconds(20));
  server_.reset();
  return code;
}

bool ClinicProcess::Kill() {
  if (server_ == nullptr) return false;
  const int code = server_->Stop(SIGKILL, absl::Seconds(20));
  server_.reset();
  return code == 128 + SIGKILL;
}

std::string ClinicProcess::ServerLog() const { return ReadFile(dir_.File("server.log")); }

MultiProcessClinic::MultiProcessClinic()
    : clinic_dir_(dir_.File("clinic")), cert_dir_(dir_.File("certs")) {
  const CommandResult made =
      RunCommand({VELKNEE_MAKE_DEV_CERTS, cert_dir_}, {}, "", absl::Seconds(30));
  EXPECT_EQ(made.exit_code, 0) << made.out << made.err;
  const std::vector<int> ports = FreeLoopbackPorts(std::size(kServices));
  EXPECT_EQ(ports.size(), std::size(kServices)) << "cannot find free loopback ports";
  for (size_t i = 0; i < std::size(kServices); ++i) {
    ports_[kServices[i]] = i < ports.size() ? ports[i] : 0;
  }
}

MultiProcessClinic::~MultiProcessClinic() { Stop(); }

CommandResult MultiProcessClinic::Launcher(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {VELKNEE_LAUNCH_MULTIPROCESS};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = {"VELKNEE_SERVER=" + ServerBinary()};
  for (const auto& [service, port] : ports_) {
    env.push_back(absl::StrCat("VELKNEE_", absl::AsciiStrToUpper(service), "_PORT=", port));
  }
  return RunCommand(argv, env, "", absl::Seconds(120));
}

CommandResult MultiProcessClinic::Start(const std::vector<std::string>& server_flags) const {
  std::vector<std::string> args = {"--tls", cert_dir_, "start", clinic_dir_};
  args.insert(args.end(), server_flags.begin(), server_flags.end());
  return Launcher(args);
}

CommandResult MultiProcessClinic::Stop() const { return Launcher({"stop", clinic_dir_}); }

bool MultiProcessClinic::Kill(absl::string_view service) const {
  const std::string pid_text(
      absl::StripAsciiWhitespace(ReadFile(absl::StrCat(clinic_dir_, "/", service, ".pid"))));
  pid_t pid = 0;
  if (!absl::SimpleAtoi(pid_text, &pid) || pid <= 0 || !Alive(pid)) return false;
  if (::kill(pid, SIGKILL) != 0) return false;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Alive(pid)) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

std::string MultiProcessClinic::AddToken(absl::string_view role, absl::string_view principal,
                                         absl::string_view therapist) const {
  return AddTokenTo(absl::StrCat(clinic_dir_, "/tokens"),
                    dir_.File(absl::StrCat(principal, ".token")), role, principal, therapist);
}

std::vector<std::string> MultiProcessClinic::ClientFlags() const {
  std::vector<std::string> flags = {"--tls_ca_file=" + cert_dir_ + "/ca.crt",
                                    "--tls_cert_file=" + cert_dir_ + "/client.crt",
                                    "--tls_key_file=" + cert_dir_ + "/client.key"};
  for (const auto& [service, port] : ports_) {
    flags.push_back(absl::StrCat("--", service, "_target=127.0.0.1:", port));
  }
  return flags;
}

std::string MultiProcessClinic::DataDir(absl::string_view service) const {
  return absl::StrCat(clinic_dir_, "/data/", service);
}

std::string MultiProcessClinic::Log(absl::string_view service) const {
  return ReadFile(absl::StrCat(clinic_dir_, "/", service, ".log"));
}

std::string LineWith(absl::string_view text, absl::string_view needle) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) return std::string(line);
  }
  return "";
}

int LineCount(absl::string_view text) {
  if (text.empty()) return 0;
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return text.back() == '\n' ? lines : lines + 1;
}

absl::TimeZone ZoneNamed(absl::string_view name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(std::string(name), &zone)) << name;
  return zone;
}

std::string DayText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay NextTuesdayAfterAWeek(absl::TimeZone zone) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone) + 8;
  while (absl::GetWeekday(day) != absl::Weekday::tuesday) ++day;
  return day;
}

}  // namespace velknee::test
