// libFuzzer harness: the Helm post-renderer (compiler/post_render.*) and its document splitter
// and cheap Release scan (compiler/manifest_stream.*).
//
// Invariants:
// - the segments of split_yaml_stream tile the input exactly, and a StreamSplitter fed the
//   input in parts (as post-render reads a pipe) gives the same segments;
// - scan_for_release saying kNo is never wrong: when the segment loads, it is not a Release
//   document (a wrong kNo would pass a Release through to the cluster uncompiled);
// - post_render never crashes, locates its diagnostics, and with no Release in the stream and
//   no error gives the input back byte for byte.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "compiler/integrations/post_render.h"
#include "compiler/yaml/manifest_stream.h"
#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Limits limits;
  auto segments = split_yaml_stream(text);
  size_t at = 0;
  bool any_release = false;
  SourceFile whole("<stdin>", text);
  for (const auto& seg : segments) {
    if (seg.begin != at || seg.end <= seg.begin || seg.end > text.size()) {
      fuzz::fail("segments do not tile the stream");
    }
    at = seg.end;
    std::string_view doc(text.data() + seg.begin, seg.end - seg.begin);
    ReleaseScan scan = scan_for_release(doc);
    DiagnosticSink sink;
    auto docs = load_yaml_range(whole, seg.begin, seg.end, limits, sink);
    fuzz::check_diagnostics(sink);
    for (const auto& d : docs) {
      if (!is_release_document(*d.root)) continue;
      any_release = true;
      if (scan == ReleaseScan::kNo) {
        fuzz::fail("scan_for_release said no to a Release document", std::string(doc));
      }
    }
    if (scan != ReleaseScan::kNo) any_release = true;
  }
  if (at != text.size()) fuzz::fail("segments do not cover the stream");
  StreamSplitter parts(text.data());
  size_t next = 0;
  for (size_t available = 0;; available = std::min(text.size(), available * 2 + 1)) {
    parts.extend(available, available == text.size());
    for (StreamSegment seg; parts.next(&seg); ++next) {
      const StreamSegment& w = next < segments.size() ? segments[next] : seg;
      if (next >= segments.size() || seg.begin != w.begin || seg.end != w.end ||
          seg.begin_line != w.begin_line || seg.mentions_meshc_group != w.mentions_meshc_group ||
          seg.starts_with_marker != w.starts_with_marker ||
          seg.ends_with_end_marker != w.ends_with_end_marker) {
        fuzz::fail("the splitter fed in parts cut the stream differently");
      }
    }
    if (available == text.size()) break;
  }
  if (next != segments.size()) fuzz::fail("the splitter fed in parts missed segments");

  Driver driver(limits, ReleaseDefaults{"fuzz", "fuzz-ns"}, std::nullopt);
  const SourceFile& src = driver.add_source("<stdin>", text);
  std::string out = post_render(src, limits, driver);
  fuzz::check_diagnostics(driver.sink());
  if (!driver.sink().has_errors() && !any_release && out != text) {
    fuzz::fail("a stream without Releases did not come back byte for byte");
  }
  return 0;
}
