// A source mapped from a file (map_file_readonly, post-render and krm of a large file on
// stdin) reads as the same text as one read into memory, and a file that shrinks under the
// mapping is a located error message and exit 1, not a crash by SIGBUS.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "compiler/diag/source.h"
#include "compiler/support/large_buffer.h"

namespace meshc {
namespace {

// A temporary file holding `text`, open for reading; removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/meshc-mapped-XXXXXX";
    fd = ::mkstemp(name);
    path = name;
    EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  ~TempFile() {
    ::close(fd);
    ::unlink(path.c_str());
  }
  int fd = -1;
  std::string path;
};

std::string lines(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += "line " + std::to_string(i) + "\r\n";
  return s;
}

TEST(MappedSource, ReadsAsTheSameTextAsAnOwnedOne) {
  const std::string text = lines(100000);  // about 1.2 MB, several pages
  TempFile f(text);
  const char* data = map_file_readonly(f.fd, text.size(), "big.yaml");
  ASSERT_NE(data, nullptr);
  SourceFile mapped("big.yaml", data, text.size());
  SourceFile owned("big.yaml", text);
  EXPECT_EQ(mapped.text(), text);
  ASSERT_EQ(mapped.line_count(), owned.line_count());
  for (uint32_t l : {0u, 1u, 4095u, 99999u, 100000u}) {
    EXPECT_EQ(mapped.line_text(l), owned.line_text(l)) << l;
  }
  uint32_t line = 0, col = 0;
  mapped.position_of(text.size() - 3, &line, &col);
  EXPECT_EQ(line, 99999u);
  EXPECT_EQ(col, text.size() - 3 - text.rfind("line 99999"));
}

TEST(MappedSource, AnEmptyFileIsNotMapped) {
  TempFile f("");
  EXPECT_EQ(map_file_readonly(f.fd, 0, "empty.yaml"), nullptr);
}

TEST(MappedSourceDeathTest, AFileThatShrinksIsAnErrorNotACrash) {
  const std::string text(3 * 4096, 'x');
  TempFile f(text);
  const char* data = map_file_readonly(f.fd, text.size(), "<stdin>");
  ASSERT_NE(data, nullptr);
  SourceFile mapped("<stdin>", data, text.size());
  ASSERT_EQ(::ftruncate(f.fd, 0), 0);
  EXPECT_EXIT(
      {
        volatile char c = mapped.text()[2 * 4096];
        (void)c;
        std::exit(0);
      },
      ::testing::ExitedWithCode(1),
      "^meshc: error: <stdin>: the file shrank while meshc read it\n$");
}

}  // namespace
}  // namespace meshc
