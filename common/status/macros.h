#ifndef VELKNEE_COMMON_STATUS_MACROS_H_
#define VELKNEE_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define VELKNEE_RETURN_IF_ERROR(expr)                                   \
  do {                                                                  \
    if (absl::Status velknee_status_ = (expr); !velknee_status_.ok()) { \
      return velknee_status_;                                           \
    }                                                                   \
  } while (false)

#define VELKNEE_STATUS_CONCAT_INNER_(a, b) a##b
#define VELKNEE_STATUS_CONCAT_(a, b) VELKNEE_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::StatusOr<T>); returns its status when not OK, otherwise moves the
// value into `lhs`, which may be a declaration (`auto client`).
#define VELKNEE_ASSIGN_OR_RETURN(lhs, expr) \
  VELKNEE_ASSIGN_OR_RETURN_IMPL_(VELKNEE_STATUS_CONCAT_(velknee_or_, __LINE__), lhs, expr)

#define VELKNEE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();       \
  lhs = *std::move(tmp)

#endif  // VELKNEE_COMMON_STATUS_MACROS_H_
