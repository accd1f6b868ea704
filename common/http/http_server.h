#ifndef VELKNEE_COMMON_HTTP_HTTP_SERVER_H_
#define VELKNEE_COMMON_HTTP_HTTP_SERVER_H_

// A small HTTP/1.1 server on one port, for the endpoints that are not gRPC (Prometheus'
// /metrics). It hides the HTTP library (cpp-httplib, Debian's libcpp-httplib-dev) behind this
// one interface, so the rest of velknee never includes it. Plaintext only: callers decide
// where it may listen.
//
// Thread-safe after Start; handlers run on the server's own threads, several at a time.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace velknee {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

struct HttpServerOptions {
  // "host:port" or "[v6]:port"; port 0 picks a free port (see HttpServer::port).
  std::string listen;
  // Requests are answered by at most this many threads at once (> 0).
  int threads = 2;
  // Accepted connections waiting for a thread (> 0); past this the server stops accepting and
  // further clients wait in the kernel's backlog, so idle or slow clients cannot grow memory.
  int max_queued_connections = 16;
  // A client that sends nothing for this long, or does not take the response for
  // `write_timeout`, is disconnected: a slow client holds a thread (and Stop) only this long
  // per read or write.
  absl::Duration read_timeout = absl::Seconds(1);
  absl::Duration write_timeout = absl::Seconds(5);
  // Requests one connection may make before the server closes it.
  int keep_alive_max_requests = 5;
};

// INVALID_ARGUMENT unless `listen` is "host:port" or "[v6]:port" with a port of 0-65535: the
// check Start makes first, for callers that want to refuse a bad address before other work.
absl::Status CheckListenAddress(absl::string_view listen);

class HttpServer {
 public:
  using GetHandler = std::function<HttpResponse()>;

  // Answers GET (and HEAD) of exactly `path` ("/metrics", no query string needed) with
  // `handler`; every other path is 404 Not Found. Any other method the HTTP library parses
  // (POST, PUT, PATCH, DELETE, OPTIONS, ...) is 405 Method Not Allowed and the connection
  // closed without reading the body; a method it does not know is 400 Bad Request.
  // `handlers` is fixed for the server's lifetime.
  // INVALID_ARGUMENT when options.listen is not host:port or a bound is not positive;
  // UNAVAILABLE when it cannot be bound (address in use or not local) or the listener stops
  // at once.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, absl::flat_hash_map<std::string, GetHandler> handlers);

  // Stops (see Stop).
  ~HttpServer();

  // The bound port (the chosen one when options.listen asked for port 0).
  int port() const { return port_; }

  // Stops accepting connections and returns once the connections being served are done,
  // after about one read timeout at most: connections still open then (a client dripping a
  // request byte by byte, one not taking its response) are cut.
  void Stop();

 private:
  HttpServer(std::unique_ptr<httplib::Server> server, int port, absl::Duration read_timeout,
             absl::flat_hash_map<std::string, GetHandler> handlers);

  const std::unique_ptr<httplib::Server> server_;
  const int port_;
  const absl::Duration read_timeout_;
  const absl::flat_hash_map<std::string, GetHandler> handlers_;
  std::atomic<bool> listener_returned_{false};
  std::atomic<bool> stopping_{false};
  std::thread listener_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_HTTP_HTTP_SERVER_H_
