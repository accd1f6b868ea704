// The kill -9 crash test: a real velknee-server takes durable CreateClient calls (each with its
// own request id) from 64 concurrent writers and is killed with SIGKILL at a random moment in the
// middle of them. Restarted on the same data directory, it must still hold every client whose
// CreateClient returned OK, answer a retry of any request id (acknowledged or cut off by the
// crash) with one client only, pass PRAGMA integrity_check on every database and
// `velknee-server audit verify`. Each round kills the server again; the checks cover the writes
// of every round so far.
//
//   crash_test --rounds=10        (ctest, label `crash`, runs --rounds=3)

#include <dirent.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_process.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee::test {
namespace {

// Set by main from --rounds.
int rounds = 3;

constexpr int kWriters = 64;
// Acknowledged writes a round waits for before it picks its moment to kill, so that the kill
// falls among writes in full flow.
constexpr int kAcknowledgedBeforeKill = 200;
constexpr absl::Duration kMaxKillDelay = absl::Milliseconds(300);
constexpr absl::Duration kCallDeadline = absl::Seconds(10);

using intake::v1::Client;
using intake::v1::IntakeService;

// A write whose CreateClient returned OK: the client it made.
struct Acknowledged {
  std::string request_id;
  std::string name;
};

intake::v1::CreateClientRequest CreateRequest(const std::string& request_id) {
  intake::v1::CreateClientRequest request;
  // The request id as given name ties each stored client to the call that made it.
  request.mutable_client()->set_given_name(request_id);
  request.mutable_client()->set_family_name("Crashworthy");
  request.mutable_client()->set_phone("020 7946 0958");
  request.set_request_id(request_id);
  return request;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    token_ = std::string(
        absl::StripAsciiWhitespace(ReadFile(clinic_.AddToken("front_desk", "desk-crash"))));
    Start();
  }

  void Start() {
    const int port = clinic_.Start();
    ASSERT_NE(port, 0) << clinic_.ServerLog();
    ChannelOptions options;
    options.target = absl::StrCat("127.0.0.1:", port);
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> channel, MakeChannel(options));
    stub_ = IntakeService::NewStub(channel);
  }

  grpc::Status Create(const std::string& request_id, Client& client) {
    grpc::ClientContext context;
    PrepareContext(context, token_, absl::Now() + kCallDeadline);
    return stub_->CreateClient(&context, CreateRequest(request_id), &client);
  }

  grpc::Status Get(const std::string& name, Client& client) {
    grpc::ClientContext context;
    PrepareContext(context, token_, absl::Now() + kCallDeadline);
    intake::v1::GetClientRequest request;
    request.set_name(name);
    return stub_->GetClient(&context, request, &client);
  }

  // 64 writers call CreateClient until the server is killed, at a random moment once enough
  // writes were acknowledged. Returns the request ids the kill cut off (their call failed).
  std::vector<std::string> WriteUntilKilled(int round) {
    absl::Mutex mu;
    int acknowledged_this_round = 0;
    std::vector<std::string> cut_off;
    std::atomic<bool> killing = false;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0;; ++i) {
          const std::string request_id = absl::StrCat("r", round, "-w", w, "-", i);
          Client client;
          const grpc::Status status = Create(request_id, client);
          absl::MutexLock lock(&mu);
          if (status.ok()) {
            acknowledged_.push_back({request_id, client.name()});
            ++acknowledged_this_round;
            continue;
          }
          if (!killing) {
            ADD_FAILURE() << "CreateClient " << request_id
                          << " failed before the kill: " << status.error_message();
          }
          cut_off.push_back(request_id);
          return;
        }
      });
    }
    {
      absl::MutexLock lock(&mu);
      const bool enough = mu.AwaitWithTimeout(
          absl::Condition(
              +[](int* acknowledged) { return *acknowledged >= kAcknowledgedBeforeKill; },
              &acknowledged_this_round),
          absl::Seconds(60));
      EXPECT_TRUE(enough) << "only " << acknowledged_this_round << " writes acknowledged in 60 s";
    }
    absl::SleepFor(kMaxKillDelay * absl::Uniform(random_, 0.0, 1.0));
    killing = true;
    EXPECT_TRUE(clinic_.Kill()) << "the server did not die of SIGKILL";
    for (std::thread& writer : writers) writer.join();
    return cut_off;
  }

  // Every acknowledged client is there, under the name CreateClient returned.
  void ExpectEveryAcknowledgedClient() {
    constexpr int kReaders = 8;
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
      readers.emplace_back([&, r] {
        for (size_t i = r; i < acknowledged_.size(); i += kReaders) {
          Client client;
          const grpc::Status status = Get(acknowledged_[i].name, client);
          EXPECT_TRUE(status.ok())
              << "acknowledged " << acknowledged_[i].request_id << " as " << acknowledged_[i].name
              << " is gone: " << status.error_message();
          if (status.ok()) {
            EXPECT_EQ(client.given_name(), acknowledged_[i].request_id);
          }
        }
      });
    }
    for (std::thread& reader : readers) reader.join();
  }

  // A retry of a request id the kill cut off makes its client at most once: the retry and a
  // second retry name the same client. The retried writes count as acknowledged from then on.
  void RetryCutOff(const std::vector<std::string>& request_ids) {
    for (const std::string& request_id : request_ids) {
      Client first;
      Client again;
      const grpc::Status retried = Create(request_id, first);
      ASSERT_TRUE(retried.ok()) << request_id << ": " << retried.error_message();
      ASSERT_TRUE(Create(request_id, again).ok()) << request_id;
      EXPECT_EQ(again.name(), first.name()) << request_id;
      acknowledged_.push_back({request_id, first.name()});
    }
  }

  // A retry of an acknowledged request id answers with the client it made before the crash.
  void ExpectRetriesAnswerFirstClient(size_t from) {
    for (size_t i = from; i < acknowledged_.size(); i += 16) {
      Client client;
      ASSERT_TRUE(Create(acknowledged_[i].request_id, client).ok()) << acknowledged_[i].request_id;
      EXPECT_EQ(client.name(), acknowledged_[i].name) << acknowledged_[i].request_id;
    }
  }

  void ExpectEveryDatabaseIntact() {
    const std::string dir = clinic_.DataDir();
    int databases = 0;
    DIR* listing = ::opendir(dir.c_str());
    ASSERT_NE(listing, nullptr) << dir;
    while (const dirent* entry = ::readdir(listing)) {
      const std::string file = entry->d_name;
      if (!absl::EndsWith(file, ".db")) continue;
      ++databases;
      SQLite::Database db(absl::StrCat(dir, "/", file), SQLite::OPEN_READONLY);
      EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok") << file;
    }
    ::closedir(listing);
    EXPECT_GT(databases, 0) << "no database in " << dir;
    const CommandResult verified = RunCommand(
        {ServerBinary(), "audit", "verify", "--data_dir=" + dir}, {}, "", absl::Seconds(60));
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  }

  ClinicProcess clinic_;
  std::string token_;
  std::unique_ptr<IntakeService::Stub> stub_;
  absl::BitGen random_;
  std::vector<Acknowledged> acknowledged_;
};

TEST_F(CrashTest, EveryAcknowledgedWriteSurvivesKill9) {
  for (int round = 1; round <= rounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round, " of ", rounds));
    const size_t before = acknowledged_.size();
    const std::vector<std::string> cut_off = WriteUntilKilled(round);
    Start();
    ExpectEveryAcknowledgedClient();
    ExpectRetriesAnswerFirstClient(before);
    RetryCutOff(cut_off);
    ExpectEveryDatabaseIntact();
    std::printf(
        "round %d: %zu writes acknowledged before kill -9, %zu cut off by it; %zu clients "
        "checked\n",
        round, acknowledged_.size() - before - cut_off.size(), cut_off.size(),
        acknowledged_.size());
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace velknee::test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--rounds=") && absl::SimpleAtoi(arg, &velknee::test::rounds) &&
        velknee::test::rounds > 0) {
      continue;
    }
    std::fprintf(stderr, "usage: %s [--rounds=N] [gtest flags]\n", argv[0]);
    return 2;
  }
  return RUN_ALL_TESTS();
}
