#include "clients/cli/dates.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace velknee::cli {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::StatusIs;

TEST(ParseDateTest, ReadsIsoDate) {
  absl::StatusOr<google::type::Date> date = ParseDate("1984-02-29", "--birth_date");
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(date->year(), 1984);
  EXPECT_EQ(date->month(), 2);
  EXPECT_EQ(date->day(), 29);
}

TEST(ParseDateTest, RejectsDaysThatDoNotExist) {
  EXPECT_THAT(
      ParseDate("2023-02-29", "--birth_date"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--birth_date: no such date")));
  EXPECT_THAT(ParseDate("1900-02-29", "--birth_date"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("1990-13-01", "--birth_date"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("1990-04-31", "--birth_date"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseDateTest, RejectsOtherShapes) {
  for (const char* text :
       {"", "1990-4-1", "01/04/1990", "1990-04-01x", "199O-04-01", "+990-04-01"}) {
    EXPECT_THAT(
        ParseDate(text, "--birth_date"),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be a date as YYYY-MM-DD")))
        << text;
  }
}

TEST(FormatDateTest, RoundTripsAndLeavesUnsetEmpty) {
  google::type::Date date;
  EXPECT_EQ(FormatDate(date), "");
  date.set_year(2001);
  date.set_month(3);
  date.set_day(9);
  EXPECT_EQ(FormatDate(date), "2001-03-09");
  EXPECT_EQ(FormatDate(*ParseDate(FormatDate(date), "x")), "2001-03-09");
}

TEST(DayWithWeekdayTest, NamesTheWeekdayOfTheCivilDay) {
  EXPECT_EQ(DayWithWeekday(absl::CivilDay(2026, 12, 1)), "Tuesday 2026-12-01");
  // 29 March 2026: clocks go forward in much of Europe; the day still has its name.
  EXPECT_EQ(DayWithWeekday(absl::CivilDay(2026, 3, 29)), "Sunday 2026-03-29");
}

}  // namespace
}  // namespace velknee::cli
