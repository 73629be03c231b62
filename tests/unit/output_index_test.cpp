// The index of an output directory (compile -o DIR/): which files meshc wrote there and from
// which input, and which of them a run deletes.
#include "compiler/io/output_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace meshc {
namespace {

namespace fs = std::filesystem;

class OutputIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("meshc-index-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "out");
    fs::create_directories(root_ / "specs");
    dir_ = (root_ / "out").string() + "/";
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const std::string& rel) { std::ofstream(root_ / rel) << "x\n"; }
  fs::path root_;
  std::string dir_;
};

TEST_F(OutputIndexTest, InputsAreKeyedRelativeToTheDirectory) {
  EXPECT_EQ(index_input_key(dir_, (root_ / "specs/a.yaml").string()), "../specs/a.yaml");
  EXPECT_EQ(index_input_key(dir_, "-"), "<stdin>");
  EXPECT_EQ(index_input_key(dir_, "<stdin>"), "<stdin>");
}

TEST_F(OutputIndexTest, RoundTripsAndAMissingIndexIsEmpty) {
  OutputIndex index;
  std::string err;
  ASSERT_TRUE(read_output_index(dir_, &index, &err)) << err;
  EXPECT_TRUE(index.empty());
  OutputIndex written{{"test.a.yaml", "../specs/a.yaml"}, {"prod.b.yaml", "<stdin>"}};
  std::ofstream(dir_ + kOutputIndexName) << render_output_index(written);
  ASSERT_TRUE(read_output_index(dir_, &index, &err)) << err;
  EXPECT_EQ(index, written);
}

TEST_F(OutputIndexTest, AnIndexNamingAPathOutsideTheDirectoryIsRefused) {
  // An edited index must never make meshc delete a file elsewhere.
  for (const char* line : {"../../etc/passwd.yaml\t../specs/a.yaml\n", ".hidden.yaml\tx\n",
                           "notes.txt\tx\n", "no-tab.yaml\n"}) {
    std::ofstream(dir_ + kOutputIndexName) << render_output_index({}) << line;
    OutputIndex index;
    std::string err;
    EXPECT_FALSE(read_output_index(dir_, &index, &err)) << line;
    EXPECT_NE(err.find(":4: expected \"file<TAB>input\""), std::string::npos) << err;
  }
  std::ofstream(dir_ + kOutputIndexName) << "test.a.yaml\t../specs/a.yaml\n";
  OutputIndex index;
  std::string err;
  EXPECT_FALSE(read_output_index(dir_, &index, &err));
  EXPECT_NE(err.find("is not an index meshc wrote"), std::string::npos) << err;
}

TEST_F(OutputIndexTest, FilesTheirInputNoLongerProducesAreOrphans) {
  touch("specs/a.yaml");
  touch("specs/other.yaml");
  for (const char* f : {"out/test.a.yaml", "out/test.renamed.yaml", "out/test.deleted.yaml",
                        "out/test.other.yaml", "out/hand-written.yaml"})
    touch(f);
  OutputIndex old{{"test.a.yaml", "../specs/a.yaml"},
                  {"test.renamed.yaml", "../specs/a.yaml"},     // a's release was renamed
                  {"test.deleted.yaml", "../specs/gone.yaml"},  // its spec was deleted
                  {"test.other.yaml", "../specs/other.yaml"},   // another run's input
                  {"test.vanished.yaml", "../specs/a.yaml"}};   // already deleted by hand
  std::map<std::string, std::string> produced{{"test.a.yaml", "../specs/a.yaml"},
                                              {"test.new.yaml", "../specs/a.yaml"}};
  OutputPlan plan = plan_output(dir_, old, produced, {"../specs/a.yaml"});
  EXPECT_EQ(plan.orphans, (std::vector<std::string>{"test.deleted.yaml", "test.renamed.yaml"}));
  EXPECT_EQ(plan.orphan_inputs.at("test.deleted.yaml"), "../specs/gone.yaml");
  EXPECT_EQ(plan.index, (OutputIndex{{"test.a.yaml", "../specs/a.yaml"},
                                     {"test.new.yaml", "../specs/a.yaml"},
                                     {"test.other.yaml", "../specs/other.yaml"}}));
}

TEST_F(OutputIndexTest, AnInputThatFailedKeepsItsFiles) {
  touch("specs/a.yaml");
  touch("out/test.a.yaml");
  OutputIndex old{{"test.a.yaml", "../specs/a.yaml"}};
  OutputPlan plan = plan_output(dir_, old, {}, /*read_inputs=*/{});
  EXPECT_TRUE(plan.orphans.empty());
  EXPECT_EQ(plan.index, old);
}

}  // namespace
}  // namespace meshc
