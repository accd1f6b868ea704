#include "clients/cli/client_fields.h"

#include <string>

#include "clients/cli/text_flag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace velknee::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::velknee::test::StatusIs;

TEST(BuildClientPatchTest, MaskNamesExactlyTheGivenFields) {
  ClientFieldValues values;
  values.phone = "+44 20 7946 0958";
  values.emergency_phone = "0123456789";
  values.note = "prefers mornings";
  absl::StatusOr<ClientPatch> patch = BuildClientPatch(values);
  ASSERT_TRUE(patch.ok()) << patch.status();
  EXPECT_THAT(patch->update_mask.paths(),
              ElementsAre("phone", "emergency_contact.phone", "front_desk_note"));
  EXPECT_EQ(patch->client.phone(), "+44 20 7946 0958");
  EXPECT_EQ(patch->client.emergency_contact().phone(), "0123456789");
  EXPECT_EQ(patch->client.front_desk_note(), "prefers mornings");
  EXPECT_TRUE(patch->client.given_name().empty());
}

TEST(BuildClientPatchTest, EmptyValueClearsTheField) {
  ClientFieldValues values;
  values.email = "";
  values.birth_date = "";
  absl::StatusOr<ClientPatch> patch = BuildClientPatch(values);
  ASSERT_TRUE(patch.ok()) << patch.status();
  EXPECT_THAT(patch->update_mask.paths(), ElementsAre("birth_date", "email"));
  EXPECT_FALSE(patch->client.has_birth_date());
  EXPECT_TRUE(patch->client.email().empty());
}

TEST(BuildClientPatchTest, NothingGivenMeansEmptyMaskAndNoContact) {
  absl::StatusOr<ClientPatch> patch = BuildClientPatch({});
  ASSERT_TRUE(patch.ok()) << patch.status();
  EXPECT_THAT(patch->update_mask.paths(), IsEmpty());
  EXPECT_FALSE(patch->client.has_emergency_contact());
}

TEST(BuildClientPatchTest, FullClientForAdd) {
  ClientFieldValues values;
  values.given_name = "Ada";
  values.family_name = "Lovelace";
  values.birth_date = "1985-12-10";
  values.emergency_name = "Charles";
  absl::StatusOr<ClientPatch> patch = BuildClientPatch(values);
  ASSERT_TRUE(patch.ok()) << patch.status();
  EXPECT_EQ(patch->client.given_name(), "Ada");
  EXPECT_EQ(patch->client.family_name(), "Lovelace");
  EXPECT_EQ(patch->client.birth_date().year(), 1985);
  EXPECT_EQ(patch->client.emergency_contact().name(), "Charles");
}

TEST(BuildClientPatchTest, BadBirthDateNamesTheFlag) {
  ClientFieldValues values;
  values.birth_date = "10/12/1985";
  EXPECT_THAT(BuildClientPatch(values),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("--birth_date")));
}

TEST(TextFlagTest, RemembersAnEmptyValueWasGiven) {
  TextFlag flag;
  std::string error;
  EXPECT_FALSE(flag.AsOptional().has_value());
  ASSERT_TRUE(AbslParseFlag("", &flag, &error));
  ASSERT_TRUE(flag.AsOptional().has_value());
  EXPECT_EQ(*flag.AsOptional(), "");
}

}  // namespace
}  // namespace velknee::cli
