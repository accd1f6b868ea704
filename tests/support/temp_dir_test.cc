#include "tests/support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace velknee::test {
namespace {

TEST(TempDirTest, MakesDistinctEmptyDirectoriesAndRemovesThem) {
  std::string first_path;
  {
    TempDir first;
    TempDir second;
    first_path = first.path();
    EXPECT_NE(first.path(), second.path());
    ASSERT_TRUE(std::filesystem::is_directory(first.path()));
    EXPECT_TRUE(std::filesystem::is_empty(first.path()));
    EXPECT_EQ(first.File("a.db"), first.path() + "/a.db");

    std::filesystem::create_directory(first.File("nested"));
    std::ofstream(first.File("nested/data.txt")) << "invented";
    std::ofstream(first.File("top.txt")) << "invented";
  }
  EXPECT_FALSE(std::filesystem::exists(first_path));
}

}  // namespace
}  // namespace velknee::test
