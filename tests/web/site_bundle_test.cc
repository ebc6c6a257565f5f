#include "web/site_bundle.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "web/content_type.h"

namespace tessera::web {
namespace {

namespace fs = std::filesystem;

class SiteBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tessera-site-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(SiteBundleTest, ReadsEveryFileUnderItsUrlPath) {
  Write("index.html", "<!doctype html><title>x</title>");
  Write("assets/index-AbCd12_9.js", "console.log(1)");
  Write("favicon.svg", "<svg/>");
  auto bundle = SiteBundle::Load(dir_);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ((*bundle)->file_count(), 3u);
  const SiteFile* js = (*bundle)->Find("/assets/index-AbCd12_9.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_TRUE(js->immutable);  // content-hashed by Vite: cached for a year
  EXPECT_FALSE((*bundle)->index().immutable);
  EXPECT_FALSE((*bundle)->Find("/favicon.svg")->immutable);
  EXPECT_EQ((*bundle)->index().body, "<!doctype html><title>x</title>");
  EXPECT_EQ((*bundle)->Find("/missing.js"), nullptr);
  EXPECT_EQ((*bundle)->Find("assets/index-AbCd12_9.js"), nullptr);  // URL paths start with /
}

TEST_F(SiteBundleTest, TheETagChangesWithTheContent) {
  Write("index.html", "one");
  auto a = SiteBundle::Load(dir_);
  Write("index.html", "two");
  auto b = SiteBundle::Load(dir_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->index().etag, (*b)->index().etag);
  EXPECT_EQ((*a)->index().etag.front(), '"');
  EXPECT_EQ((*a)->index().etag.back(), '"');
}

TEST_F(SiteBundleTest, SymlinksAreNeverFollowed) {
  Write("index.html", "x");
  std::ofstream(dir_.string() + "-secret", std::ios::binary) << "secret";
  fs::create_symlink(dir_.string() + "-secret", dir_ / "leak.txt");
  fs::create_directory_symlink("/etc", dir_ / "etc");
  auto bundle = SiteBundle::Load(dir_);
  fs::remove(dir_.string() + "-secret");
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ((*bundle)->Find("/leak.txt"), nullptr);
  EXPECT_EQ((*bundle)->Find("/etc/passwd"), nullptr);
  EXPECT_EQ((*bundle)->file_count(), 1u);
}

TEST_F(SiteBundleTest, AFolderWithoutIndexOrMissingIsAClearError) {
  Write("assets/a.js", "x");
  auto no_index = SiteBundle::Load(dir_);
  ASSERT_FALSE(no_index.ok());
  EXPECT_NE(no_index.status().message().find("has no index.html"), std::string::npos) << no_index.status();
  auto missing = SiteBundle::Load(dir_ / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos);
}

TEST_F(SiteBundleTest, TooManyFilesIsRefused) {
  Write("index.html", "x");
  for (size_t i = 0; i < SiteBundle::kMaxFiles; ++i) Write("assets/f" + std::to_string(i) + ".txt", "");
  auto bundle = SiteBundle::Load(dir_);
  ASSERT_FALSE(bundle.ok());
  EXPECT_EQ(bundle.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(ContentType, FromTheExtensionOnly) {
  EXPECT_EQ(ContentTypeFor("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("/no-extension"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("/dir.v2/file"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("/x.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace tessera::web
