#include "clients/cli/client_commands.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/command_line.h"
#include "tests/clients/loopback_server.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

ABSL_DECLARE_FLAG(velknee::cli::TextFlag, given_name);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, family_name);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, phone);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, note);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, query);

namespace velknee::cli {
namespace {

using intake::v1::Client;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kToken[] = "vkt_test_token_never_printed";

// Records what the commands send; CreateClient fails `unavailable_answers`
// times first, as a server behind flaky clinic Wi-Fi would look.
class FakeIntake final : public intake::v1::IntakeService::Service {
 public:
  grpc::Status CreateClient(grpc::ServerContext* context,
                            const intake::v1::CreateClientRequest* request,
                            Client* response) override {
    absl::MutexLock lock(&mu_);
    RecordAuth(*context);
    create_request_ids_.push_back(request->request_id());
    if (unavailable_answers_ > 0) {
      --unavailable_answers_;
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "database busy");
    }
    *response = request->client();
    response->set_name("clients/new1");
    response->set_state(Client::STATE_ACTIVE);
    return grpc::Status::OK;
  }

  grpc::Status UpdateClient(grpc::ServerContext* context,
                            const intake::v1::UpdateClientRequest* request,
                            Client* response) override {
    absl::MutexLock lock(&mu_);
    RecordAuth(*context);
    last_update_ = *request;
    *response = request->client();
    return grpc::Status::OK;
  }

  grpc::Status ListClients(grpc::ServerContext* context,
                           const intake::v1::ListClientsRequest* request,
                           intake::v1::ListClientsResponse* response) override {
    absl::MutexLock lock(&mu_);
    RecordAuth(*context);
    Client* client = response->add_clients();
    client->set_name("clients/abc");
    client->set_family_name("Lovelace");
    client->set_given_name(request->query());
    response->set_next_page_token("next");
    return grpc::Status::OK;
  }

  void set_unavailable_answers(int n) {
    absl::MutexLock lock(&mu_);
    unavailable_answers_ = n;
  }
  std::vector<std::string> create_request_ids() {
    absl::MutexLock lock(&mu_);
    return create_request_ids_;
  }
  intake::v1::UpdateClientRequest last_update() {
    absl::MutexLock lock(&mu_);
    return last_update_;
  }
  std::vector<std::string> authorizations() {
    absl::MutexLock lock(&mu_);
    return authorizations_;
  }

 private:
  void RecordAuth(const grpc::ServerContext& context) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = context.client_metadata().find("authorization");
    authorizations_.push_back(it == context.client_metadata().end()
                                  ? ""
                                  : std::string(it->second.data(), it->second.size()));
  }

  absl::Mutex mu_;
  int unavailable_answers_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> create_request_ids_ ABSL_GUARDED_BY(mu_);
  intake::v1::UpdateClientRequest last_update_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> authorizations_ ABSL_GUARDED_BY(mu_);
};

class ClientCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<LoopbackServer>(service_, kToken);
    ASSERT_TRUE(server_->started());
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "clients");
    return RunDeskLine(args, out_, err_, in_);
  }

  absl::FlagSaver flag_saver_;  // Every test starts from the default flags.
  FakeIntake service_;
  std::unique_ptr<LoopbackServer> server_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::istringstream in_;
};

TEST_F(ClientCommandsTest, AddRetriesUnavailableWithTheSameRequestId) {
  service_.set_unavailable_answers(2);
  EXPECT_EQ(Run({"add", "--given_name=Ada", "--family-name", "Lovelace"}), kExitOk) << err_.str();

  const std::vector<std::string> ids = service_.create_request_ids();
  ASSERT_THAT(ids, SizeIs(3));
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_EQ(ids[2], ids[0]);
  EXPECT_THAT(out_.str(), HasSubstr("Resource name:      clients/new1"));
  EXPECT_THAT(service_.authorizations(),
              ElementsAre(absl::StrCat("Bearer ", kToken), absl::StrCat("Bearer ", kToken),
                          absl::StrCat("Bearer ", kToken)));
}

TEST_F(ClientCommandsTest, AddGivesUpAfterTwoRetriesAndNamesTheRequestId) {
  service_.set_unavailable_answers(10);
  EXPECT_EQ(Run({"add", "--given_name=Ada"}), kExitCallFailed);

  const std::vector<std::string> ids = service_.create_request_ids();
  ASSERT_THAT(ids, SizeIs(3));
  EXPECT_THAT(err_.str(), HasSubstr("error: UNAVAILABLE: the intake service at 127.0.0.1:"));
  EXPECT_THAT(err_.str(), HasSubstr("(--target) is unavailable: database busy"));
  EXPECT_THAT(err_.str(), HasSubstr(absl::StrCat("--request_id=", ids[0])));
  EXPECT_EQ(err_.str().find('\n'), err_.str().size() - 1) << "one line";
  EXPECT_THAT(err_.str(), Not(HasSubstr(kToken)));
}

TEST_F(ClientCommandsTest, IntakeTargetTakesPrecedenceOverTarget) {
  // The services run as separate processes: only --intake_target reaches the intake service.
  absl::SetFlag(&FLAGS_intake_target, absl::GetFlag(FLAGS_target));
  absl::SetFlag(&FLAGS_target, "127.0.0.1:1");

  EXPECT_EQ(Run({"add", "--given_name=Ada"}), kExitOk) << err_.str();
  EXPECT_THAT(service_.create_request_ids(), SizeIs(1));
}

TEST_F(ClientCommandsTest, AnUnreachableServiceIsNamedWithItsAddressAndFlag) {
  EXPECT_EQ(Run({"add", "--given_name=Ada", "--intake-target=127.0.0.1:1"}), kExitCallFailed);

  EXPECT_THAT(err_.str(), StartsWith("error: UNAVAILABLE: the intake service at 127.0.0.1:1 "
                                     "(--intake_target) is unavailable: "));
  EXPECT_THAT(service_.create_request_ids(), IsEmpty());
}

TEST_F(ClientCommandsTest, AServiceThatNeverAnswersIsNamedWithTheTimeout) {
  // A port that accepts connections (the kernel completes them for the backlog) but never
  // speaks gRPC: every attempt runs into --timeout.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string silent = absl::StrCat("127.0.0.1:", ntohs(address.sin_port));
  absl::SetFlag(&FLAGS_intake_target, silent);
  absl::SetFlag(&FLAGS_timeout, absl::Milliseconds(300));

  EXPECT_EQ(Run({"show", "clients/abc"}), kExitCallFailed);
  ::close(fd);

  EXPECT_THAT(err_.str(),
              StartsWith(absl::StrCat("error: DEADLINE_EXCEEDED: the intake service at ", silent,
                                      " (--intake_target) did not answer within --timeout")));
}

TEST_F(ClientCommandsTest, AnEmptyTargetIsAUsageError) {
  EXPECT_EQ(Run({"show", "clients/abc", "--target="}), kExitUsage);

  EXPECT_THAT(err_.str(), StartsWith("error: --target: must be an address, host:port"));
}

TEST_F(ClientCommandsTest, FreshRequestIdPerAdd) {
  ASSERT_EQ(Run({"add", "--given_name=Ada"}), kExitOk);
  ASSERT_EQ(Run({"add", "--given_name=Ada"}), kExitOk);
  const std::vector<std::string> ids = service_.create_request_ids();
  ASSERT_THAT(ids, SizeIs(2));
  EXPECT_NE(ids[0], ids[1]);
}

TEST_F(ClientCommandsTest, EditSendsOnlyTheGivenFieldsAndEmptyClears) {
  ASSERT_EQ(Run({"edit", "clients/abc", "--phone=0123 456 789", "--note="}), kExitOk) << err_.str();

  const intake::v1::UpdateClientRequest request = service_.last_update();
  EXPECT_EQ(request.client().name(), "clients/abc");
  EXPECT_THAT(request.update_mask().paths(), ElementsAre("phone", "front_desk_note"));
  EXPECT_EQ(request.client().phone(), "0123 456 789");
  EXPECT_TRUE(request.client().front_desk_note().empty());
}

TEST_F(ClientCommandsTest, FindPrintsTableAndNextPageHint) {
  ASSERT_EQ(Run({"find", "--query=Ada"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("clients/abc    Lovelace  Ada"));
  EXPECT_THAT(out_.str(), HasSubstr("clients find --query=Ada --page_token=next"));
}

TEST_F(ClientCommandsTest, JsonOutputIsProtoJson) {
  ASSERT_EQ(Run({"find", "--json"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"nextPageToken\": \"next\""));
}

TEST_F(ClientCommandsTest, UsageErrorsExitTwoWithoutCallingTheServer) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(Run({"delete", "clients/abc"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: unknown clients command \"delete\"\n");
  EXPECT_EQ(Run({"show"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: clients show needs the client's resource name, clients/ID\n");
  EXPECT_EQ(Run({"show", "clients/a", "clients/b"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: unexpected argument \"clients/b\"\n");
  EXPECT_EQ(Run({"edit", "clients/abc"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("at least one field flag"));
  EXPECT_EQ(Run({"show", "clients/abc", "--phone=123"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --phone does not apply to clients show\n");
  // A desk flag of another group is refused the same way.
  EXPECT_EQ(Run({"show", "clients/abc", "--hours=mon 09:00-17:00"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --hours does not apply to clients show\n");
  EXPECT_THAT(service_.authorizations(), IsEmpty());
}

TEST_F(ClientCommandsTest, TimeZoneIsRefusedSinceNoClientsCommandShowsATime) {
  EXPECT_EQ(Run({"show", "clients/abc", "--time_zone=Europe/London"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--time_zone does not apply to clients show"));
  EXPECT_THAT(service_.authorizations(), IsEmpty());
}

TEST_F(ClientCommandsTest, MissingTokenIsAClearError) {
  unsetenv("VELKNEE_TOKEN");
  EXPECT_EQ(Run({"show", "clients/abc"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: no token: pass --token_file=FILE or set VELKNEE_TOKEN\n");
}

}  // namespace
}  // namespace velknee::cli
