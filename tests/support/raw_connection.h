#ifndef VELKNEE_TESTS_SUPPORT_RAW_CONNECTION_H_
#define VELKNEE_TESTS_SUPPORT_RAW_CONNECTION_H_

// A TCP connection to a loopback port made by hand, to send what a well-behaved HTTP client
// would not (a body announced and never sent, a request that stops half-way).

#include <string>

#include "absl/time/time.h"

namespace velknee::test {

class RawConnection {
 public:
  explicit RawConnection(int port);  // To 127.0.0.1:port; see connected().
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // True when all of `data` was sent.
  bool Send(const std::string& data);
  // What the server sends until it closes the connection or `timeout` passes; `closed` says
  // which.
  std::string ReadUntilClosed(absl::Duration timeout, bool* closed);

 private:
  const int fd_;
  bool connected_ = false;
};

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SUPPORT_RAW_CONNECTION_H_
