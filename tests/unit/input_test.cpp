// The one input reader (compiler/io/input.h): files, directories, the size limit.
#include "compiler/io/input.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/support.h"

namespace meshc {
namespace {

namespace fs = std::filesystem;

class InputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("meshc-input-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
    return (dir_ / rel).string();
  }
  fs::path dir_;
};

TEST_F(InputTest, ReadsAFileWhole) {
  std::string path = write("a.yaml", "a: 1\n");
  DiagnosticSink sink;
  ReadInput in = read_input(path, 1000, sink);
  ASSERT_TRUE(in.source);
  EXPECT_TRUE(in.complete);
  EXPECT_EQ(in.source->text(), "a: 1\n");
  EXPECT_EQ(in.source->name(), path);
  EXPECT_FALSE(sink.has_errors());
}

TEST_F(InputTest, AnInputOverTheLimitIsAnErrorAtItsFirstByteBeyond) {
  std::string path = write("big.yaml", "ab\ncdef\n");
  DiagnosticSink sink;
  ReadInput in = read_input(path, 5, sink);
  ASSERT_TRUE(in.source);
  EXPECT_FALSE(in.complete);
  EXPECT_EQ(in.source->text(), "ab\ncde");  // the limit and one byte more
  ASSERT_EQ(sink.error_count(), 1u);
  EXPECT_EQ(sink.all()[0].loc.str(), path + ":2:3");
}

// A regular file is read with one read() of its size + 1 bytes: the bytes around the limit
// and the file's end must come out as with a read to EOF.
TEST_F(InputTest, AFileOfExactlyTheLimitIsReadWhole) {
  std::string path = write("exact.yaml", "ab\ncd\n");
  DiagnosticSink sink;
  ReadInput in = read_input(path, 6, sink);
  ASSERT_TRUE(in.source);
  EXPECT_TRUE(in.complete);
  EXPECT_TRUE(in.regular);
  EXPECT_EQ(in.source->text(), "ab\ncd\n");
  EXPECT_FALSE(sink.has_errors());
  ReadInput over = read_input(path, 5, sink);
  EXPECT_FALSE(over.complete);
  EXPECT_EQ(over.source->text(), "ab\ncd\n");  // the limit and one byte more
  EXPECT_EQ(sink.error_count(), 1u);
}

TEST_F(InputTest, AMissingFileIsAnUnlocatedError) {
  DiagnosticSink sink;
  ReadInput in = read_input((dir_ / "nope.yaml").string(), 1000, sink);
  EXPECT_FALSE(in.source);
  ASSERT_EQ(sink.error_count(), 1u);
  EXPECT_FALSE(sink.all()[0].loc.valid());
  EXPECT_NE(sink.all()[0].message.find("cannot open"), std::string::npos);
}

TEST_F(InputTest, ADirectoryExpandsToItsYamlFilesInSortedOrder) {
  write("b.yml", "b: 1\n");
  write("a.yaml", "a: 1\n");
  write("sub/c.yaml", "c: 1\n");
  write("notes.txt", "x\n");
  std::vector<std::string> files;
  DiagnosticSink sink;
  ASSERT_TRUE(expand_input(dir_.string(), &files, sink));
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(fs::path(files[0]).filename(), "a.yaml");
  EXPECT_EQ(fs::path(files[1]).filename(), "b.yml");
  EXPECT_EQ(fs::path(files[2]).filename(), "c.yaml");
}

TEST_F(InputTest, ADirectoryWithoutYamlIsAnError) {
  std::vector<std::string> files;
  DiagnosticSink sink;
  EXPECT_FALSE(expand_input((dir_ / "sub").string(), &files, sink));
  EXPECT_NE(test::first_error(sink).find("no *.yaml or *.yml files"), std::string::npos);
}

TEST_F(InputTest, AWalkLeavesOutHiddenFilesAndDirectories) {
  write("app.yaml", "a: 1\n");
  write(".pre-commit-config.yaml", "repos: []\n");
  write(".github/workflows/ci.yml", "on: push\n");
  write("sub/.hidden.yaml", "h: 1\n");
  std::vector<InputFile> files;
  std::vector<std::string> skipped;
  DiagnosticSink sink;
  ASSERT_TRUE(expand_input(dir_.string(), WalkOptions{}, &files, &skipped, sink));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(fs::path(files[0].path).filename(), "app.yaml");
  EXPECT_TRUE(files[0].found_in_directory);
  // A hidden directory is left out whole (one entry, not one per file in it).
  ASSERT_EQ(skipped.size(), 3u) << ::testing::PrintToString(skipped);
  EXPECT_NE(skipped[0].find(".github/: hidden"), std::string::npos);
  EXPECT_NE(skipped[1].find(".pre-commit-config.yaml: hidden"), std::string::npos);
  EXPECT_NE(skipped[2].find("sub/.hidden.yaml: hidden"), std::string::npos);
}

TEST_F(InputTest, ExcludeGlobsMatchTheRelativePathOrTheName) {
  write("app.yaml", "a: 1\n");
  write("kustomization.yaml", "resources: []\n");
  write("charts/x/templates/d.yaml", "{{ .Values }}\n");
  write("deep/kustomization.yaml", "resources: []\n");
  std::vector<InputFile> files;
  std::vector<std::string> skipped;
  DiagnosticSink sink;
  WalkOptions walk{{"kustomization.yaml", "charts"}};
  ASSERT_TRUE(expand_input(dir_.string(), walk, &files, &skipped, sink));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(fs::path(files[0].path).filename(), "app.yaml");
  ASSERT_EQ(skipped.size(), 3u) << ::testing::PrintToString(skipped);
  EXPECT_NE(skipped[0].find("charts/: --exclude charts"), std::string::npos);
}

TEST_F(InputTest, AFileNamedAsAnArgumentIsNeverLeftOut) {
  write(".hidden.yaml", "a: 1\n");
  std::vector<InputFile> files;
  DiagnosticSink sink;
  WalkOptions walk{{"*.yaml"}};
  ASSERT_TRUE(expand_input((dir_ / ".hidden.yaml").string(), walk, &files, nullptr, sink));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_FALSE(files[0].found_in_directory);
}

TEST_F(InputTest, ADirectoryWithOnlyHiddenYamlSaysSo) {
  write("only/.x.yaml", "a: 1\n");
  std::vector<InputFile> files;
  DiagnosticSink sink;
  EXPECT_FALSE(expand_input((dir_ / "only").string(), WalkOptions{}, &files, nullptr, sink));
  EXPECT_NE(test::first_error(sink).find("hidden and excluded entries left out"),
            std::string::npos);
}

}  // namespace
}  // namespace meshc
