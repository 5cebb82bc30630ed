#include "gotramp/support/Paths.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

TEST(PathsTest, RelativePathWalksUpAndDown) {
  EXPECT_EQ(relativePath("/m/native/x.h", "/m/pkg"), "../native/x.h");
  EXPECT_EQ(relativePath("/m/pkg/x.h", "/m/pkg"), "x.h");
  EXPECT_EQ(relativePath("/m/pkg", "/m/pkg"), ".");
  EXPECT_EQ(relativePath("/m/pkg/./sub/../x.h", "/m/pkg/"), "x.h");
}

TEST(PathsTest, PortablePathInsideRootIsRelative) {
  EXPECT_EQ(portablePath("/m/native/x.h", "/m/pkg", "/m"), "../native/x.h");
  EXPECT_EQ(portablePath("/m/x.h", "/m/pkg", "/m"), "../x.h");
}

TEST(PathsTest, PortablePathOutsideRootIsTheFileName) {
  EXPECT_EQ(portablePath("/root/.cargo/registry/src/zstd/lib/zstd.h", "/m/pkg", "/m"), "zstd.h");
  EXPECT_EQ(portablePath("/usr/include/zlib.h", "/m/pkg", "/m"), "zlib.h");
}

TEST(PathsTest, PortablePathComparesWholeComponents) {
  // /a/bc shares a prefix with /a/b but is not inside it.
  EXPECT_EQ(portablePath("/a/bc/x.h", "/a/b/pkg", "/a/b"), "x.h");
  EXPECT_EQ(portablePath("/a/b/c/x.h", "/a/b/pkg", "/a/b"), "../c/x.h");
}

TEST(PathsTest, EmptyRootKeepsEverythingRelative) {
  EXPECT_EQ(portablePath("/usr/include/zlib.h", "/usr/lib", ""), "../include/zlib.h");
}

} // namespace
