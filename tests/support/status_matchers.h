#ifndef VELKNEE_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define VELKNEE_TESTS_SUPPORT_STATUS_MATCHERS_H_

// GoogleMock matchers for statuses, usable on absl::Status, absl::StatusOr<T> and grpc::Status
// alike (a grpc::Status is compared by its numeric code, which equals the absl code):
//
//   EXPECT_THAT(store.Get(name), StatusIs(absl::StatusCode::kNotFound, HasSubstr(name)));
//   EXPECT_THAT(stub->GetClient(&context, request, &client), IsOk());
//   EXPECT_THAT(ResolvePageSize(0), IsOkAndHolds(50));
//   ASSERT_OK_AND_ASSIGN(std::string token, AddToken(path, principal));

#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest.h"

namespace velknee::test {
namespace internal {

inline absl::Status ToAbslStatus(const absl::Status& status) { return status; }

template <typename T>
absl::Status ToAbslStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

inline absl::Status ToAbslStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

class StatusIsMatcher {
 public:
  StatusIsMatcher(absl::StatusCode code, ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  template <typename StatusType>
  bool MatchAndExplain(const StatusType& value, ::testing::MatchResultListener* listener) const {
    const absl::Status status = ToAbslStatus(value);
    *listener << "whose status is " << status;
    if (status.code() != code_) return false;
    const std::string message(status.message());
    ::testing::StringMatchResultListener message_listener;
    if (!message_.MatchAndExplain(message, &message_listener)) {
      if (!message_listener.str().empty())
        *listener << ", and the message " << message_listener.str();
      return false;
    }
    return true;
  }

  void DescribeTo(std::ostream* os) const {
    *os << "has status code " << absl::StatusCodeToString(code_) << " and a message that ";
    message_.DescribeTo(os);
  }

  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have status code " << absl::StatusCodeToString(code_)
        << " or has a message that ";
    message_.DescribeNegationTo(os);
  }

 private:
  absl::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
};

class IsOkMatcher {
 public:
  template <typename StatusType>
  bool MatchAndExplain(const StatusType& value, ::testing::MatchResultListener* listener) const {
    const absl::Status status = ToAbslStatus(value);
    if (!status.ok()) *listener << "whose status is " << status;
    return status.ok();
  }
  void DescribeTo(std::ostream* os) const { *os << "is OK"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not OK"; }
};

template <typename StatusOrType>
class IsOkAndHoldsImpl : public ::testing::MatcherInterface<StatusOrType> {
 public:
  using ValueType = typename std::decay_t<StatusOrType>::value_type;

  template <typename InnerMatcher>
  explicit IsOkAndHoldsImpl(InnerMatcher&& inner)
      : inner_(::testing::SafeMatcherCast<const ValueType&>(std::forward<InnerMatcher>(inner))) {}

  bool MatchAndExplain(StatusOrType actual,
                       ::testing::MatchResultListener* listener) const override {
    if (!actual.ok()) {
      *listener << "whose status is " << actual.status();
      return false;
    }
    ::testing::StringMatchResultListener inner_listener;
    const bool matches = inner_.MatchAndExplain(*actual, &inner_listener);
    *listener << "whose value " << ::testing::PrintToString(*actual)
              << (matches ? " matches" : " doesn't match");
    if (!inner_listener.str().empty()) *listener << ", " << inner_listener.str();
    return matches;
  }

  void DescribeTo(std::ostream* os) const override {
    *os << "is OK and has a value that ";
    inner_.DescribeTo(os);
  }

  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not OK or has a value that ";
    inner_.DescribeNegationTo(os);
  }

 private:
  ::testing::Matcher<const ValueType&> inner_;
};

template <typename InnerMatcher>
class IsOkAndHoldsMatcher {
 public:
  explicit IsOkAndHoldsMatcher(InnerMatcher inner) : inner_(std::move(inner)) {}

  template <typename StatusOrType>
  operator ::testing::Matcher<StatusOrType>() const {  // NOLINT: implicit by design
    return ::testing::Matcher<StatusOrType>(new IsOkAndHoldsImpl<const StatusOrType&>(inner_));
  }

 private:
  InnerMatcher inner_;
};

}  // namespace internal

// Matches an absl::StatusOr<T> that is OK and whose value matches `inner` (a value means
// equality).
template <typename InnerMatcher>
internal::IsOkAndHoldsMatcher<std::decay_t<InnerMatcher>> IsOkAndHolds(InnerMatcher&& inner) {
  return internal::IsOkAndHoldsMatcher<std::decay_t<InnerMatcher>>(
      std::forward<InnerMatcher>(inner));
}

// Matches an OK status (or a StatusOr holding a value).
inline ::testing::PolymorphicMatcher<internal::IsOkMatcher> IsOk() {
  return ::testing::MakePolymorphicMatcher(internal::IsOkMatcher());
}

// Matches a status with `code` whose message matches `message` (a string means equality; use
// HasSubstr for part of it).
template <typename MessageMatcher>
::testing::PolymorphicMatcher<internal::StatusIsMatcher> StatusIs(absl::StatusCode code,
                                                                  MessageMatcher message) {
  return ::testing::MakePolymorphicMatcher(internal::StatusIsMatcher(
      code, ::testing::MatcherCast<const std::string&>(std::move(message))));
}

inline ::testing::PolymorphicMatcher<internal::StatusIsMatcher> StatusIs(absl::StatusCode code) {
  return StatusIs(code, ::testing::_);
}

}  // namespace velknee::test

#define EXPECT_OK(expr) EXPECT_THAT((expr), ::velknee::test::IsOk())
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::velknee::test::IsOk())

#define VELKNEE_TEST_CONCAT_INNER_(a, b) a##b
#define VELKNEE_TEST_CONCAT_(a, b) VELKNEE_TEST_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::StatusOr<T>); fails the test and returns when it is not OK,
// otherwise moves the value into `lhs`, which may be a declaration (`auto db`). Usable only in
// functions returning void, like ASSERT_*.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                                            \
  VELKNEE_TEST_ASSERT_OK_AND_ASSIGN_IMPL_(VELKNEE_TEST_CONCAT_(velknee_status_or_, __LINE__), lhs, \
                                          expr)

#define VELKNEE_TEST_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)   \
  auto tmp = (expr);                                              \
  ASSERT_TRUE(tmp.ok()) << #expr << " returned " << tmp.status(); \
  lhs = *std::move(tmp)

#endif  // VELKNEE_TESTS_SUPPORT_STATUS_MATCHERS_H_
