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
  Diagnostic d{Severity::kError, Location{&f, 1, 3}, "b", "duplicate key \"b\"", {}, ""};
  d.note(Location{&f, 0, 0}, "first defined here");
  diags.push_back(d);
  diags.push_back(Diagnostic{Severity::kWarning, Location{&f, 0, 3}, "", "unused", {}, ""});
  EXPECT_EQ(test::printed(diags),
            "s.yaml:1:4: warning: unused\n"
            "s.yaml:2:4: error: b: duplicate key \"b\"\n"
            "s.yaml:1:1: note: first defined here\n");
}

TEST(Diagnostics, SourceLinesAndCaretsForNotesToo) {
  SourceFile f("s.yaml", "key: value\nother: x\n");
  Diagnostic d{Severity::kError, Location{&f, 1, 7}, "", "bad", {}, ""};
  d.note(Location{&f, 0, 5}, "see here");
  PrintOptions opts;
  opts.show_source = true;
  EXPECT_EQ(test::printed({d}, opts),
            "s.yaml:2:8: error: bad\nother: x\n       ^\n"
            "s.yaml:1:6: note: see here\nkey: value\n     ^\n");
}

TEST(Diagnostics, JsonCarriesNotesOnlyWhenThereAreAny) {
  SourceFile f("s.yaml", "a: 1\n");
  Diagnostic with{Severity::kError, Location{&f, 0, 3}, "a", "bad", {}, ""};
  with.note(Location{&f, 0, 0}, "here");
  Diagnostic without{Severity::kError, Location{}, "", "cannot open", {}, ""};
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
  Diagnostic d{Severity::kError, Location{&f, 0, 3}, "", "bad", {}, ""};
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

TEST(Diagnostics, GithubAnnotationsEscapeAndCarryTheirNotes) {
  SourceFile f("dir,a:b.yaml", "a: 1\nb: 2\n");
  Diagnostic d{Severity::kError, Location{&f, 1, 3}, "b", "100% wrong,\nreally", {}, ""};
  d.note(Location{&f, 0, 0}, "first here");
  Diagnostic w{Severity::kWarning, Location{}, "", "read once", {}, ""};
  PrintOptions opts;
  opts.format = DiagnosticFormat::kGithub;
  EXPECT_EQ(test::printed({d, w}, opts),
            "::error file=dir%2Ca%3Ab.yaml,line=2,col=4::b: 100%25 wrong,%0Areally%0Anote: "
            "first here (dir,a:b.yaml:1:1)\n"
            "::warning::read once\n");
}

TEST(Diagnostics, SarifHasResultsWithLocationsRelatedNotesAndCodePointColumns) {
  SourceFile f("s.yaml", "k: \xc3\xa9x\n");  // the error at the byte after a 2-byte character
  Diagnostic d{Severity::kWarning, Location{&f, 0, 5}, "k", "odd", {}, ""};
  d.note(Location{&f, 0, 0}, "see");
  PrintOptions opts;
  opts.format = DiagnosticFormat::kSarif;
  nlohmann::json doc = nlohmann::json::parse(test::printed({d}, opts));
  EXPECT_EQ(doc["version"], "2.1.0");
  const nlohmann::json& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "meshc");
  ASSERT_EQ(run["results"].size(), 1u);
  const nlohmann::json& r = run["results"][0];
  EXPECT_EQ(r["level"], "warning");
  EXPECT_EQ(r["message"]["text"], "k: odd");
  const nlohmann::json& loc = r["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "s.yaml");
  EXPECT_EQ(loc["region"]["startLine"], 1);
  EXPECT_EQ(loc["region"]["startColumn"], 5);  // k, :, space, é: 4 code points before it
  EXPECT_EQ(r["relatedLocations"][0]["message"]["text"], "see");
  // Nothing to report is still a document.
  nlohmann::json empty = nlohmann::json::parse(test::printed({}, opts));
  EXPECT_TRUE(empty["runs"][0]["results"].empty());
}

TEST(Diagnostics, ColourBoldsTheHeadAndColoursTheSeverity) {
  SourceFile f("s.yaml", "a: 1\n");
  PrintOptions opts;
  opts.color = true;
  EXPECT_EQ(
      test::printed({Diagnostic{Severity::kError, Location{&f, 0, 3}, "", "bad", {}, ""}}, opts),
      "\033[1ms.yaml:1:4:\033[0m \033[1;31merror:\033[0m bad\n");
}

}  // namespace
}  // namespace meshc
