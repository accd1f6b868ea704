#ifndef VELKNEE_TOOLS_BENCH_ECHO_SERVER_H_
#define VELKNEE_TOOLS_BENCH_ECHO_SERVER_H_

// The throughput ceiling of a gRPC read on this machine: a server that answers every call, of
// any method, with the bytes it was sent, and does nothing else (no authentication, no
// database, no log). velknee-bench runs it as its own child process (`velknee-bench
// echo-server`) so that it competes with the load generator for the CPU exactly as
// velknee-server does.

#include <string>

namespace velknee::bench {

// Serves on `listen` (HOST:PORT; port 0 picks a free one), prints `listening on HOST:PORT`,
// and serves until SIGTERM or SIGINT. Returns the process's exit code.
int RunEchoServer(const std::string& listen);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_ECHO_SERVER_H_
