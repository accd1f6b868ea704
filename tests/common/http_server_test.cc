#include "common/http/http_server.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/support/status_matchers.h"

namespace velknee {
namespace {

using test::StatusIs;
using ::testing::HasSubstr;

std::unique_ptr<HttpServer> StartHelloServer(const std::string& listen = "127.0.0.1:0") {
  absl::flat_hash_map<std::string, HttpServer::GetHandler> handlers;
  handlers["/hello"] = [] { return HttpResponse{200, "text/plain; version=0.0.4", "hi\n"}; };
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(HttpServerOptions{listen}, std::move(handlers));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

TEST(HttpServerTest, AnswersARegisteredPathWithItsHandler) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  httplib::Result result = client.Get("/hello");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "hi\n");
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST(HttpServerTest, OtherPathsAreNotFoundAndPathsAreNotPatterns) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  for (const char* path : {"/", "/hello/", "/hellox", "/HELLO", "/metrics"}) {
    httplib::Result result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
  }
  httplib::Result posted = client.Post("/hello", "x", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 405);
  EXPECT_EQ(posted->get_header_value("Allow"), "GET, HEAD");
}

TEST(HttpServerTest, APortInUseIsUnavailable) {
  std::unique_ptr<HttpServer> first = StartHelloServer();
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<HttpServer>> second =
      HttpServer::Start(HttpServerOptions{absl::StrCat("127.0.0.1:", first->port())}, {});
  EXPECT_THAT(second.status(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot listen")));
}

TEST(HttpServerTest, AnAddressThatIsNotHostAndPortIsInvalid) {
  for (const char* listen : {"127.0.0.1", ":9090", "127.0.0.1:http", "127.0.0.1:70000", ""}) {
    absl::StatusOr<std::unique_ptr<HttpServer>> server =
        HttpServer::Start(HttpServerOptions{listen}, {});
    EXPECT_THAT(server.status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not host:port")))
        << listen;
  }
}

TEST(HttpServerTest, StoppedServerRefusesConnections) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  server->Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  EXPECT_FALSE(client.Get("/hello"));
}

}  // namespace
}  // namespace velknee
