#include "common/api/pagination.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee {
namespace {

using intake::v1::ListAssessmentsRequest;
using intake::v1::ListClientsRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::StatusIs;
using ::velknee::test::ViolatedFields;

ListClientsRequest ClientQuery(const std::string& query) {
  ListClientsRequest request;
  request.set_query(query);
  return request;
}

// A token for the page after ("Okafor", "k3x7...") in a search for "oka".
class PageTokenTest : public ::testing::Test {
 protected:
  const std::vector<std::string> last_key_ = {"Okafor", "k3x7q2mvbn4rty5wa6zc2de3"};
  const std::string fingerprint_ = QueryFingerprint(ClientQuery("oka"));
  const std::string token_ = EncodePageToken(fingerprint_, last_key_);

  void ExpectRejected(const std::string& token) {
    absl::StatusOr<std::vector<std::string>> key = DecodePageToken(token, fingerprint_);
    EXPECT_THAT(key, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")))
        << "token: " << token;
    EXPECT_THAT(ViolatedFields(key.status()), ElementsAre("page_token"));
  }
};

TEST_F(PageTokenTest, GenuineTokenRoundTripsTheKey) {
  EXPECT_THAT(DecodePageToken(token_, fingerprint_), IsOkAndHolds(last_key_));
}

TEST_F(PageTokenTest, EmptyTokenMeansFirstPage) {
  absl::StatusOr<std::vector<std::string>> key = DecodePageToken("", fingerprint_);
  ASSERT_THAT(key, IsOk());
  EXPECT_TRUE(key->empty());
}

TEST_F(PageTokenTest, KeyPartsWithAnyTextRoundTrip) {
  // Sort keys are UTF-8 text (names, times, ids); raw non-UTF-8 bytes do not survive the
  // token's encoding.
  const std::vector<std::string> key = {"", std::string("a\0b", 3), "Kovács Zoé", "2024-05-01",
                                        "a\tb/c=d"};
  EXPECT_THAT(DecodePageToken(EncodePageToken(fingerprint_, key), fingerprint_), IsOkAndHolds(key));
}

TEST_F(PageTokenTest, TokenIsUrlSafeText) {
  EXPECT_EQ(
      token_.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  // Opaque: the caller does not see the key in clear.
  EXPECT_THAT(token_, ::testing::Not(HasSubstr("Okafor")));
}

TEST_F(PageTokenTest, EveryFlippedByteIsRejected) {
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token_, &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    ExpectRejected(absl::WebSafeBase64Escape(tampered));
  }
}

TEST_F(PageTokenTest, ChangedCharacterIsRejected) {
  std::string tampered = token_;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  ExpectRejected(tampered);
}

TEST_F(PageTokenTest, EveryTruncationIsRejected) {
  for (size_t length = 1; length < token_.size(); ++length) {
    ExpectRejected(token_.substr(0, length));
  }
}

TEST_F(PageTokenTest, GarbageIsRejected) {
  ExpectRejected("not a token");
  ExpectRejected("%%%%");
  ExpectRejected("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ExpectRejected(absl::WebSafeBase64Escape("Okafor"));
  ExpectRejected(token_ + "A");
  ExpectRejected(token_ + token_);
}

TEST_F(PageTokenTest, TokenFromAnotherFilterIsRejected) {
  absl::StatusOr<std::vector<std::string>> key =
      DecodePageToken(token_, QueryFingerprint(ClientQuery("bra")));
  EXPECT_THAT(key, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("different query")));
  EXPECT_THAT(ViolatedFields(key.status()), ElementsAre("page_token"));

  ListClientsRequest with_archived = ClientQuery("oka");
  with_archived.set_show_archived(true);
  EXPECT_THAT(DecodePageToken(token_, QueryFingerprint(with_archived)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(PageTokenTest, TokenFromAnotherListMethodIsRejected) {
  // Both requests have every filter empty; only the list they belong to differs.
  const std::string token = EncodePageToken(QueryFingerprint(ListClientsRequest()), last_key_);
  EXPECT_THAT(DecodePageToken(token, QueryFingerprint(ListAssessmentsRequest())),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST(QueryFingerprintTest, IgnoresPageSizeAndPageToken) {
  ListClientsRequest first = ClientQuery("oka");
  ListClientsRequest next = ClientQuery("oka");
  next.set_page_size(20);
  next.set_page_token("whatever-the-previous-page-said");
  EXPECT_EQ(QueryFingerprint(first), QueryFingerprint(next));
  EXPECT_NE(QueryFingerprint(first), QueryFingerprint(ClientQuery("okb")));
}

TEST(ResolvePageSizeTest, FollowsAip158) {
  EXPECT_THAT(ResolvePageSize(0), IsOkAndHolds(50));
  EXPECT_THAT(ResolvePageSize(1), IsOkAndHolds(1));
  EXPECT_THAT(ResolvePageSize(50), IsOkAndHolds(50));
  EXPECT_THAT(ResolvePageSize(500), IsOkAndHolds(500));
  EXPECT_THAT(ResolvePageSize(501), IsOkAndHolds(500));
  EXPECT_THAT(ResolvePageSize(2147483647), IsOkAndHolds(500));
}

TEST(ResolvePageSizeTest, NegativeIsInvalidArgumentOnPageSize) {
  for (int requested : {-1, -500, -2147483647 - 1}) {
    absl::StatusOr<int> size = ResolvePageSize(requested);
    EXPECT_THAT(size, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
    EXPECT_THAT(ViolatedFields(size.status()), ElementsAre("page_size"));
  }
}

}  // namespace
}  // namespace velknee
