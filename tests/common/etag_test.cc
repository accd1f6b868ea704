#include "common/api/etag.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee {
namespace {

using intake::v1::Client;
using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;

Client SampleClient() {
  Client client;
  client.set_name("clients/q4m2x7k3v5n6b7c2d3e4f5g6");
  client.set_given_name("Ilse");
  client.set_family_name("Varga");
  client.set_phone("+15550100");
  client.mutable_emergency_contact()->set_name("Tomas Varga");
  client.set_state(Client::STATE_ACTIVE);
  return client;
}

TEST(ComputeEtagTest, Is22UrlSafeCharacters) {
  const std::string etag = ComputeEtag(SampleClient());
  EXPECT_EQ(etag.size(), 22u);
  EXPECT_EQ(
      etag.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << etag;
}

TEST(ComputeEtagTest, SameContentGivesSameEtag) {
  EXPECT_EQ(ComputeEtag(SampleClient()), ComputeEtag(SampleClient()));
}

TEST(ComputeEtagTest, ChangesWhenAnyContentChanges) {
  const std::string before = ComputeEtag(SampleClient());

  Client renamed = SampleClient();
  renamed.set_family_name("Varga-Kiss");
  EXPECT_NE(ComputeEtag(renamed), before);

  Client nested = SampleClient();
  nested.mutable_emergency_contact()->set_phone("+15550199");
  EXPECT_NE(ComputeEtag(nested), before);

  Client archived = SampleClient();
  archived.set_state(Client::STATE_ARCHIVED);
  EXPECT_NE(ComputeEtag(archived), before);

  Client cleared = SampleClient();
  cleared.clear_phone();
  EXPECT_NE(ComputeEtag(cleared), before);
}

TEST(ComputeEtagTest, IgnoresTheEtagFieldItself) {
  Client with_etag = SampleClient();
  with_etag.set_etag("some-previous-etag");
  EXPECT_EQ(ComputeEtag(with_etag), ComputeEtag(SampleClient()));

  // So storing the etag in the resource and recomputing it later gives the same value.
  Client stored = SampleClient();
  stored.set_etag(ComputeEtag(stored));
  EXPECT_EQ(ComputeEtag(stored), stored.etag());
}

TEST(CheckEtagTest, EmptyOrMatchingEtagPasses) {
  const std::string current = ComputeEtag(SampleClient());
  EXPECT_THAT(CheckEtag("", current, "clients/q4m2"), IsOk());
  EXPECT_THAT(CheckEtag(current, current, "clients/q4m2"), IsOk());
}

TEST(CheckEtagTest, StaleEtagIsAbortedWithEtagMismatch) {
  Client old_version = SampleClient();
  Client new_version = SampleClient();
  new_version.set_phone("+15550123");
  const absl::Status status =
      CheckEtag(ComputeEtag(old_version), ComputeEtag(new_version), "clients/q4m2");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted, HasSubstr("clients/q4m2")));
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
}

TEST(CheckEtagTest, ArbitraryTextIsAMismatch) {
  EXPECT_THAT(CheckEtag("not-an-etag", ComputeEtag(SampleClient()), "clients/q4m2"),
              StatusIs(absl::StatusCode::kAborted));
}

}  // namespace
}  // namespace velknee
