#include "common/crypto/random.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "common/api/resource_name.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace velknee {
namespace {

using ::velknee::test::IsOk;

constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(NewResourceIdTest, Is24LowercaseBase32Characters) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewResourceId();
    EXPECT_EQ(id.size(), 24u) << id;
    EXPECT_EQ(id.find_first_not_of(kBase32), std::string::npos) << id;
  }
}

TEST(NewResourceIdTest, IsAValidResourceNameSegment) {
  for (int i = 0; i < 100; ++i) {
    EXPECT_THAT(ParseResourceName("clients/" + NewResourceId(), "clients/{client}", "name"),
                IsOk());
  }
}

TEST(NewResourceIdTest, ThousandIdsAreDistinctAndUseTheWholeAlphabet) {
  std::set<std::string> ids;
  std::set<char> characters;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewResourceId();
    ids.insert(id);
    characters.insert(id.begin(), id.end());
  }
  EXPECT_EQ(ids.size(), 1000u);
  // 24,000 random characters leave essentially no chance of missing one of 32 symbols; a
  // missing one means the encoding drops bits.
  EXPECT_EQ(characters.size(), sizeof(kBase32) - 1);
}

TEST(NewBearerTokenTest, HasPrefixAnd256BitsOfBase64Url) {
  for (int i = 0; i < 100; ++i) {
    const std::string token = NewBearerToken();
    ASSERT_TRUE(absl::StartsWith(token, "vkt_")) << token;
    // 32 bytes are 43 base64 characters without padding.
    EXPECT_EQ(token.size(), 4u + 43u) << token;
    EXPECT_EQ(token.substr(4).find_first_not_of(kBase64Url), std::string::npos) << token;
  }
}

TEST(NewBearerTokenTest, TokensAreDistinct) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.insert(NewBearerToken());
  EXPECT_EQ(tokens.size(), 1000u);
}

}  // namespace
}  // namespace velknee
