#ifndef VELKNEE_TESTS_SERVER_SERVER_PROCESS_H_
#define VELKNEE_TESTS_SERVER_SERVER_PROCESS_H_

// A fixture for tests of velknee-server as operators run it: a temporary directory with a tokens
// file (a front-desk token and the SERVICE token), the flags that serve it, and a client call.

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gtest/gtest.h"
#include "tests/harness/subprocess.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee::test {

// The content of the file at `path` ("" when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class ServerProcessTest : public ::testing::Test {
 protected:
  // Adds a token with `flags` and returns it (the last stdout line).
  std::string AddToken(const std::vector<std::string>& flags) {
    std::vector<std::string> argv = {ServerBinary(), "tokens", "add",
                                     "--tokens_file=" + dir_.File("tokens")};
    argv.insert(argv.end(), flags.begin(), flags.end());
    const CommandResult result = RunCommand(argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const std::string out(absl::StripTrailingAsciiWhitespace(result.out));
    return out.substr(out.rfind('\n') + 1);
  }

  void SetUp() override {
    desk_token_ = AddToken({"--role=front_desk", "--principal=desk-1"});
    std::ofstream(dir_.File("service.token")) << AddToken({"--role=service", "--principal=svc"});
  }

  std::vector<std::string> ServeArgs(const std::string& listen = "127.0.0.1:0") {
    return {ServerBinary(), "--listen=" + listen, "--data_dir=" + dir_.File("data"),
            "--tokens_file=" + dir_.File("tokens"),
            "--service_token_file=" + dir_.File("service.token")};
  }

  // Registers a client; `created`, when set, receives it.
  grpc::Status CreateClient(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                            intake::v1::Client* created = nullptr) {
    auto stub = intake::v1::IntakeService::NewStub(channel);
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Now() + absl::Seconds(10));
    intake::v1::CreateClientRequest request;
    request.mutable_client()->set_given_name("Rory");
    request.mutable_client()->set_family_name("Runner");
    request.mutable_client()->set_phone("0161 496 0000");
    intake::v1::Client client;
    return stub->CreateClient(&context, request, created != nullptr ? created : &client);
  }

  std::shared_ptr<grpc::Channel> Loopback(int port) {
    ChannelOptions options;
    options.target = absl::StrCat("127.0.0.1:", port);
    return *MakeChannel(options);
  }

  TempDir dir_;
  std::string desk_token_;
};

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SERVER_SERVER_PROCESS_H_
