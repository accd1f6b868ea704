#ifndef VELKNEE_TESTS_SUPPORT_LOOPBACK_PORT_H_
#define VELKNEE_TESTS_SUPPORT_LOOPBACK_PORT_H_

namespace velknee::test {

// A loopback port that nothing listens on (bound, then released), for a service that is down;
// 0 when none could be bound.
int UnusedLoopbackPort();

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SUPPORT_LOOPBACK_PORT_H_
