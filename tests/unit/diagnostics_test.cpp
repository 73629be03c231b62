// The diagnostics printer (compiler/diag/): the one place positions become 1-based, notes
// after their diagnostic, a stable order, and JSON for tools.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/support.h"

namespace meshc {
namespace {

TEST(Diagnostics, TextIsOneBasedWithPathAndNotesAfterTheirDiagnostic) {
  SourceFile f("s.yaml", "a: 1\nb: 2\n");
  std::vector<Diagnostic> diags;
  Diagnostic d{Severity::kError, Location{&f, 1, 3}, "b", "duplicate key \"b\"", {}};
  d.note(Location{&f, 0, 0}, "first defined here");
  diags.push_back(d);
  diags.push_back(Diagnostic{Severity::kWarning, Location{&f, 0, 3}, "", "unused", {}});
  EXPECT_EQ(test::printed(diags),
            "s.yaml:1:4: warning: unused\n"
            "s.yaml:2:4: error: b: duplicate key \"b\"\n"
            "s.yaml:1:1: note: first defined here\n");
}

TEST(Diagnostics, SourceLinesAndCaretsForNotesToo) {
  SourceFile f("s.yaml", "key: value\nother: x\n");
  Diagnostic d{Severity::kError, Location{&f, 1, 7}, "", "bad", {}};
  d.note(Location{&f, 0, 5}, "see here");
  PrintOptions opts;
  opts.show_source = true;
  EXPECT_EQ(test::printed({d}, opts),
            "s.yaml:2:8: error: bad\nother: x\n       ^\n"
            "s.yaml:1:6: note: see here\nkey: value\n     ^\n");
}

TEST(Diagnostics, JsonCarriesNotesOnlyWhenThereAreAny) {
  SourceFile f("s.yaml", "a: 1\n");
  Diagnostic with{Severity::kError, Location{&f, 0, 3}, "a", "bad", {}};
  with.note(Location{&f, 0, 0}, "here");
  Diagnostic without{Severity::kError, Location{}, "", "cannot open", {}};
  PrintOptions opts;
  opts.format = DiagnosticFormat::kJson;
  auto j = nlohmann::json::parse(test::printed({with, without}, opts));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["line"], 1);
  EXPECT_EQ(j[0]["column"], 4);
  EXPECT_EQ(j[0]["notes"][0]["column"], 1);
  EXPECT_EQ(j[0]["notes"][0]["message"], "here");
  EXPECT_TRUE(j[1]["file"].is_null());
  EXPECT_FALSE(j[1].contains("notes"));
}

TEST(Diagnostics, MessageWithNotesForOneLineOutputs) {
  SourceFile f("s.yaml", "a: 1\n");
  Diagnostic d{Severity::kError, Location{&f, 0, 3}, "", "bad", {}};
  d.note(Location{&f, 0, 0}, "first here").note(Location{}, "no place");
  EXPECT_EQ(d.message_with_notes(), "bad; note: first here (s.yaml:1:1); note: no place");
}

TEST(Diagnostics, SinkCountsErrorsAndTruncates) {
  DiagnosticSink sink;
  sink.warning(Location{}, "", "w");
  sink.error(Location{}, "", "e1").note(Location{}, "n");
  sink.error(Location{}, "", "e2");
  EXPECT_EQ(sink.error_count(), 2u);
  EXPECT_EQ(sink.all()[1].notes.size(), 1u);
  sink.truncate(1);
  EXPECT_EQ(sink.error_count(), 0u);
  EXPECT_EQ(sink.all().size(), 1u);
}

}  // namespace
}  // namespace meshc
