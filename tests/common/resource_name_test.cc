#include "common/api/resource_name.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"

namespace velknee {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::StatusIs;
using ::velknee::test::ViolatedFields;

constexpr absl::string_view kClient = "clients/{client}";
constexpr absl::string_view kNote = "clients/{client}/notes/{note}";

TEST(ParseResourceNameTest, ReturnsIdsInOrder) {
  EXPECT_THAT(ParseResourceName("clients/abc", kClient, "name"), IsOkAndHolds(ElementsAre("abc")));
  EXPECT_THAT(ParseResourceName("clients/c7x2/notes/n4k5", kNote, "name"),
              IsOkAndHolds(ElementsAre("c7x2", "n4k5")));
  EXPECT_THAT(ParseResourceId("clients/c7x2/notes/n4k5", kNote, "name"), IsOkAndHolds("n4k5"));
  EXPECT_THAT(ParseResourceId("therapists/ana", "therapists/{therapist}", "therapist"),
              IsOkAndHolds("ana"));
}

TEST(ParseResourceNameTest, AcceptsIdsAtTheLimits) {
  EXPECT_THAT(ParseResourceId("clients/a", kClient, "name"), IsOkAndHolds("a"));
  EXPECT_THAT(ParseResourceId("clients/7", kClient, "name"), IsOkAndHolds("7"));
  EXPECT_THAT(ParseResourceId("clients/ana-maria-2", kClient, "name"), IsOkAndHolds("ana-maria-2"));
  const std::string longest(63, 'k');
  EXPECT_THAT(ParseResourceId("clients/" + longest, kClient, "name"), IsOkAndHolds(longest));
}

class BadResourceNameTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadResourceNameTest, IsInvalidArgumentNamingTheField) {
  const absl::StatusOr<std::vector<std::string>> ids =
      ParseResourceName(GetParam(), kNote, "note.name");
  EXPECT_THAT(ids, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("note.name")));
  EXPECT_THAT(ViolatedFields(ids.status()), ElementsAre("note.name"));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BadResourceNameTest,
    ::testing::Values("", "clients", "clients/c1", "clients/c1/notes", "clients/c1/notes/",
                      "clients//notes/n1", "clients/c1/notes/n1/", "/clients/c1/notes/n1",
                      "clients/c1/notes/n1/extra", "patients/c1/notes/n1", "clients/c1/plans/n1",
                      "Clients/c1/notes/n1", "clients/C1/notes/n1", "clients/c1/notes/-n1",
                      "clients/c_1/notes/n1", "clients/c.1/notes/n1", "clients/c 1/notes/n1",
                      "clients/c1/notes/n%2F1", "clients/c1/notes/" + std::string(64, 'k'),
                      "clients/{client}/notes/{note}"));

TEST(ParseResourceNameTest, EmptyNameSaysItIsRequired) {
  EXPECT_THAT(ParseResourceName("", kClient, "parent"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("required")));
  EXPECT_THAT(ParseResourceName("clients/ABC", kClient, "parent"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("clients/{client}")));
}

TEST(FormatResourceNameTest, FillsVariablesInOrder) {
  EXPECT_EQ(FormatResourceName(kClient, {"c7x2"}), "clients/c7x2");
  EXPECT_EQ(FormatResourceName(kNote, {"c7x2", "n4k5"}), "clients/c7x2/notes/n4k5");
  EXPECT_EQ(FormatResourceName("appointments/{appointment}", {"a1"}), "appointments/a1");
}

TEST(FormatResourceNameTest, RoundTripsThroughParse) {
  const std::vector<std::string> ids = {"q4m2x7k3v5n6b7c2d3e4f5g6", "ana"};
  const std::string name = FormatResourceName("clients/{client}/plans/{plan}", ids);
  EXPECT_THAT(ParseResourceName(name, "clients/{client}/plans/{plan}", "name"), IsOkAndHolds(ids));
}

}  // namespace
}  // namespace velknee
