#include "tests/e2e/clinic_process.h"

#include <csignal>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace velknee::test {

ClinicProcess::ClinicProcess() : service_token_file_(AddToken("service", "svc-e2e")) {}

std::string ClinicProcess::AddToken(absl::string_view role, absl::string_view principal,
                                    absl::string_view therapist) {
  std::vector<std::string> argv = {ServerBinary(),
                                   "tokens",
                                   "add",
                                   "--tokens_file=" + dir_.File("tokens"),
                                   absl::StrCat("--role=", role),
                                   absl::StrCat("--principal=", principal)};
  if (!therapist.empty()) argv.push_back(absl::StrCat("--therapist=", therapist));
  const CommandResult result = RunCommand(argv, {}, "", absl::Seconds(10));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::string out(absl::StripTrailingAsciiWhitespace(result.out));
  const std::string path = dir_.File(absl::StrCat(principal, ".token"));
  std::ofstream(path) << out.substr(out.rfind('\n') + 1) << "\n";
  return path;
}

int ClinicProcess::Start(const std::vector<std::string>& extra_flags) {
  std::vector<std::string> argv = {
      ServerBinary(), "--listen=127.0.0.1:0", "--data_dir=" + dir_.File("data"),
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

CommandResult ClinicProcess::Desk(const std::vector<std::string>& args,
                                  const std::vector<std::string>& env) const {
  std::vector<std::string> argv = {DeskBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--timeout=5s");
  return RunCommand(argv, env, "", absl::Seconds(20));
}

CommandResult ClinicProcess::Tablet(const std::vector<std::string>& args, const std::string& input,
                                    const std::vector<std::string>& env) const {
  std::vector<std::string> argv = {TabletBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--timeout=5s");
  return RunCommand(argv, env, input, absl::Seconds(20));
}

std::string ClinicProcess::ServerLog() const {
  std::ifstream in(dir_.File("server.log"));
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
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

}  // namespace velknee::test
