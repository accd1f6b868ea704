#include "clients/cli/region_questions.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "clients/cli/plain_words.h"
#include "common/status/macros.h"

namespace velknee::cli {
namespace {

using common::v1::BodyRegion;
using common::v1::Region;
using common::v1::Side;

std::vector<Choice> SideChoices() {
  return {{common::v1::SIDE_LEFT, "left", {"l"}},
          {common::v1::SIDE_RIGHT, "right", {"r"}},
          {common::v1::SIDE_BILATERAL, "both sides", {"both", "b", "bilateral"}}};
}

}  // namespace

std::vector<Choice> RegionChoices() {
  std::vector<Choice> choices;
  for (BodyRegion region : AllBodyRegions()) {
    choices.push_back({region, BodyRegionInPlainWords(region), {}});
  }
  return choices;
}

absl::StatusOr<Side> AskSide(Prompter& prompter, BodyRegion region) {
  VELKNEE_ASSIGN_OR_RETURN(
      std::optional<int> side,
      prompter.AskOne(absl::StrCat("Which side: ", BodyRegionInPlainWords(region), "?"),
                      SideChoices(), Blank::kNotAllowed));
  return static_cast<Side>(*side);
}

absl::StatusOr<std::vector<Region>> AskRegions(Prompter& prompter, absl::string_view question,
                                               Blank blank) {
  VELKNEE_ASSIGN_OR_RETURN(std::vector<int> picked,
                           prompter.AskSeveral(question, RegionChoices(), blank));
  std::vector<Region> regions;
  for (int value : picked) {
    Region region;
    region.set_region(static_cast<BodyRegion>(value));
    VELKNEE_ASSIGN_OR_RETURN(Side side, AskSide(prompter, region.region()));
    region.set_side(side);
    regions.push_back(region);
  }
  return regions;
}

}  // namespace velknee::cli
