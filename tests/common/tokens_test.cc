#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/auth/token_store.h"
#include "common/auth/tokens_file.h"
#include "common/crypto/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::velknee::test::IsOk;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

const Principal kDesk{"desk-1", Role::kFrontDesk, ""};
const Principal kAna{"tablet-ana", Role::kTherapist, "therapists/ana"};

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteWholeFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

// Polls `store` until `token` gets the wanted outcome or 3 seconds pass; the store promises
// to notice file changes within a second, so this checks behaviour, not speed.
bool EventuallyAuthenticates(TokenStore& store, const std::string& token, bool wanted) {
  const absl::Time give_up = absl::Now() + absl::Seconds(3);
  while (true) {
    if (store.Authenticate(token).ok() == wanted) return true;
    if (absl::Now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

class TokensTest : public ::testing::Test {
 protected:
  TempDir dir_;
  const std::string path_ = dir_.File("tokens.tsv");
};

TEST_F(TokensTest, FileStoresOnlyTheDigestOfTheToken) {
  ASSERT_OK_AND_ASSIGN(const std::string token, AddToken(path_, kDesk));
  EXPECT_TRUE(absl::StartsWith(token, "vkt_")) << token;
  const std::string text = ReadWholeFile(path_);
  EXPECT_THAT(text, HasSubstr(Sha256Hex(token)));
  EXPECT_THAT(text, Not(HasSubstr(token)));
  EXPECT_THAT(text, Not(HasSubstr(token.substr(4))));

  ASSERT_OK_AND_ASSIGN(const std::vector<TokenRecord> records, ReadTokensFile(path_));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].token_sha256_hex, Sha256Hex(token));
  EXPECT_EQ(records[0].principal.id, "desk-1");
  EXPECT_EQ(records[0].principal.role, Role::kFrontDesk);
  EXPECT_LE(absl::AbsDuration(records[0].create_time - absl::Now()), absl::Minutes(1));
}

TEST_F(TokensTest, FileIsReadableOnlyByItsOwner) {
  ASSERT_THAT(AddToken(path_, kDesk), IsOk());
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // Still so after a rewrite.
  ASSERT_THAT(AddToken(path_, kAna), IsOk());
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(TokensTest, StoreAuthenticatesEachTokenAsItsPrincipal) {
  ASSERT_OK_AND_ASSIGN(const std::string desk_token, AddToken(path_, kDesk));
  ASSERT_OK_AND_ASSIGN(const std::string ana_token, AddToken(path_, kAna));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TokenStore> store, TokenStore::Open(path_));

  ASSERT_OK_AND_ASSIGN(const Principal desk, store->Authenticate(desk_token));
  EXPECT_EQ(desk.id, "desk-1");
  EXPECT_EQ(desk.role, Role::kFrontDesk);
  EXPECT_EQ(desk.therapist, "");

  ASSERT_OK_AND_ASSIGN(const Principal ana, store->Authenticate(ana_token));
  EXPECT_EQ(ana.id, "tablet-ana");
  EXPECT_EQ(ana.role, Role::kTherapist);
  EXPECT_EQ(ana.therapist, "therapists/ana");
}

TEST_F(TokensTest, UnknownTokensAreUnauthenticated) {
  ASSERT_OK_AND_ASSIGN(const std::string token, AddToken(path_, kDesk));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TokenStore> store, TokenStore::Open(path_));
  EXPECT_THAT(store->Authenticate("vkt_made-up"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store->Authenticate(""), StatusIs(absl::StatusCode::kUnauthenticated));
  // The digest from the file is not a token.
  EXPECT_THAT(store->Authenticate(Sha256Hex(token)), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store->Authenticate(token + "x"), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(TokensTest, RevokedTokenStopsWorkingWithoutARestart) {
  ASSERT_OK_AND_ASSIGN(const std::string first, AddToken(path_, kDesk));
  ASSERT_OK_AND_ASSIGN(const std::string second, AddToken(path_, kDesk));
  ASSERT_OK_AND_ASSIGN(const std::string ana_token, AddToken(path_, kAna));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TokenStore> store, TokenStore::Open(path_));
  ASSERT_THAT(store->Authenticate(first), IsOk());

  EXPECT_THAT(RevokeTokens(path_, "desk-1"), IsOkAndHolds(2));

  EXPECT_TRUE(EventuallyAuthenticates(*store, first, false));
  EXPECT_THAT(store->Authenticate(first), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store->Authenticate(second), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(store->Authenticate(ana_token), IsOk());
}

TEST_F(TokensTest, RevokingAPrincipalWithoutTokensIsNotFound) {
  ASSERT_THAT(AddToken(path_, kDesk), IsOk());
  EXPECT_THAT(RevokeTokens(path_, "desk-2"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(const std::vector<TokenRecord> records, ReadTokensFile(path_));
  EXPECT_EQ(records.size(), 1u);
}

TEST_F(TokensTest, TokenAddedAfterOpenIsAcceptedWithoutARestart) {
  ASSERT_THAT(AddToken(path_, kDesk), IsOk());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TokenStore> store, TokenStore::Open(path_));
  ASSERT_OK_AND_ASSIGN(const std::string later, AddToken(path_, kAna));
  EXPECT_TRUE(EventuallyAuthenticates(*store, later, true));
  EXPECT_THAT(store->Authenticate(later), IsOk());
}

TEST_F(TokensTest, StoreKeepsTheLastGoodTokensWhenTheFileBreaks) {
  ASSERT_OK_AND_ASSIGN(const std::string token, AddToken(path_, kDesk));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TokenStore> store, TokenStore::Open(path_));
  WriteWholeFile(path_, "this is not a tokens file\n");
  // Give the store several reload intervals to (wrongly) drop the tokens.
  const absl::Time until = absl::Now() + 3 * TokenStore::kReloadInterval;
  while (absl::Now() < until) {
    EXPECT_THAT(store->Authenticate(token), IsOk());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST_F(TokensTest, MissingFileIsNotFound) {
  EXPECT_THAT(TokenStore::Open(path_), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ReadTokensFile(path_), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(RevokeTokens(path_, "desk-1"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TokensTest, CommentsAndBlankLinesAreSkipped) {
  const std::string digest(64, 'a');
  WriteWholeFile(path_, absl::StrCat("# a comment\n\n", digest,
                                     "\tdesk-1\tfront_desk\t-\t2024-05-01T09:00:00Z\n"));
  ASSERT_OK_AND_ASSIGN(const std::vector<TokenRecord> records, ReadTokensFile(path_));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].token_sha256_hex, digest);
  EXPECT_EQ(records[0].create_time, absl::FromUnixSeconds(1714554000));
}

class MalformedTokensFileTest : public TokensTest,
                                public ::testing::WithParamInterface<std::string> {};

TEST_P(MalformedTokensFileTest, IsInvalidArgumentNamingTheLine) {
  const std::string good =
      absl::StrCat(std::string(64, 'a'), "\tdesk-1\tfront_desk\t-\t2024-05-01T09:00:00Z");
  WriteWholeFile(path_, absl::StrCat("# velknee tokens\n", good, "\n", GetParam(), "\n"));
  EXPECT_THAT(ReadTokensFile(path_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
  EXPECT_THAT(TokenStore::Open(path_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
}

INSTANTIATE_TEST_SUITE_P(
    Lines, MalformedTokensFileTest,
    ::testing::Values(
        "garbage", std::string(64, 'b') + "\tdesk-2\tfront_desk\t-",                // 4 fields
        std::string(64, 'b') + "\tdesk-2\tfront_desk\t-\t2024-05-01T09:00:00Z\tx",  // 6 fields
        std::string(63, 'b') + "\tdesk-2\tfront_desk\t-\t2024-05-01T09:00:00Z",     // short hash
        std::string(64, 'b') + "\tdesk-2\treceptionist\t-\t2024-05-01T09:00:00Z",   // role
        std::string(64, 'b') + "\tdesk-2\tfront_desk\t-\tyesterday",                // time
        std::string(64, 'b') + "\tDesk 2\tfront_desk\t-\t2024-05-01T09:00:00Z",     // id
        std::string(64, 'b') + "\tana\ttherapist\t-\t2024-05-01T09:00:00Z",         // no name
        std::string(64, 'b') + "\tdesk-2\tfront_desk\ttherapists/ana\t2024-05-01T09:00:00Z"));

TEST(ValidatePrincipalTest, AcceptsConsistentPrincipals) {
  EXPECT_THAT(ValidatePrincipal(kDesk), IsOk());
  EXPECT_THAT(ValidatePrincipal(kAna), IsOk());
  EXPECT_THAT(ValidatePrincipal({"svc.plans_1", Role::kService, ""}), IsOk());
  EXPECT_THAT(ValidatePrincipal({"admin", Role::kAdmin, ""}), IsOk());
  EXPECT_THAT(ValidatePrincipal({std::string(64, 'a'), Role::kAdmin, ""}), IsOk());
}

TEST(ValidatePrincipalTest, RejectsBadIdsAndInconsistentTherapists) {
  const std::vector<Principal> bad = {
      {"", Role::kFrontDesk, ""},
      {std::string(65, 'a'), Role::kFrontDesk, ""},
      {"Desk-1", Role::kFrontDesk, ""},
      {"desk 1", Role::kFrontDesk, ""},
      {"desk\t1", Role::kFrontDesk, ""},
      {"desk/1", Role::kFrontDesk, ""},
      {"tablet-ana", Role::kTherapist, ""},
      {"tablet-ana", Role::kTherapist, "ana"},
      {"tablet-ana", Role::kTherapist, "clients/ana"},
      {"tablet-ana", Role::kTherapist, "therapists/Ana"},
      {"desk-1", Role::kFrontDesk, "therapists/ana"},
      {"svc", Role::kService, "therapists/ana"},
  };
  for (const Principal& principal : bad) {
    EXPECT_THAT(ValidatePrincipal(principal), StatusIs(absl::StatusCode::kInvalidArgument))
        << principal.id << " " << RoleName(principal.role) << " " << principal.therapist;
  }
}

TEST_F(TokensTest, AddTokenRefusesAnInvalidPrincipalAndWritesNothing) {
  EXPECT_THAT(AddToken(path_, {"Desk 1", Role::kFrontDesk, ""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadTokensFile(path_), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TokensTest, ConcurrentAddsLoseNoToken) {
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> tokens(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        absl::StatusOr<std::string> token =
            AddToken(path_, {absl::StrCat("desk-", t), Role::kFrontDesk, ""});
        EXPECT_THAT(token, IsOk());
        if (token.ok()) tokens[t].push_back(*token);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TokenStore> store, TokenStore::Open(path_));
  for (int t = 0; t < 4; ++t) {
    ASSERT_EQ(tokens[t].size(), 5u);
    for (const std::string& token : tokens[t]) {
      EXPECT_THAT(store->Authenticate(token),
                  IsOkAndHolds(::testing::Field(&Principal::id, absl::StrCat("desk-", t))));
    }
  }
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kTherapist, Role::kFrontDesk, Role::kService, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(Role::kFrontDesk), "front_desk");
  EXPECT_EQ(ParseRole("FRONT_DESK"), std::nullopt);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
}

}  // namespace
}  // namespace velknee
