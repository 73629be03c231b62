// Source files and positions. Positions are 0-based everywhere inside meshc and
// printed 1-based exactly once, by the diagnostic printer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace meshc {

// One input text, owned for the whole run so that locations can point into it.
class SourceFile {
 public:
  SourceFile(std::string display_name, std::string text);
  // A text meshc did not copy: `size` bytes mapped read-only at `mapped` (map_file_readonly in
  // large_buffer.h), unmapped when the SourceFile goes.
  SourceFile(std::string display_name, const char* mapped, size_t size);
  ~SourceFile();
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }
  // The text of 0-based line `line`, without its line terminator; empty past the end.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const;
  // 0-based line and column (in bytes) of byte offset `offset`.
  void position_of(size_t offset, uint32_t* line, uint32_t* col) const;
  // Tells position_of that 0-based line `line` starts at `offset` (a caller that counted the
  // lines already: post-render's stream split), so that it counts newlines only from there.
  void note_line_start(size_t offset, uint32_t line) const;

 private:
  std::string name_;
  std::string owned_;      // the text, unless it is mapped
  bool mapped_ = false;    // text_ is a mapping of its own, to unmap
  std::string_view text_;  // owned_ or the mapping
  // Built on the first call that needs it (line_text, line_count): a 50 MB stream that
  // post-render passes through never needs the 16 MB index. The caches make a SourceFile unsafe
  // to share between threads.
  const std::vector<size_t>& line_starts() const;
  mutable std::vector<size_t> line_starts_;
  // position_of without the index: the line of byte offset cursor_offset_, so that calls in
  // increasing order of offset (post-render's documents) count each newline once.
  mutable size_t cursor_offset_ = 0;
  mutable uint32_t cursor_line_ = 0;
};

// A place in a source file. `file == nullptr` means "no location" (e.g. a command-line value).
struct Location {
  const SourceFile* file = nullptr;
  uint32_t line = 0;  // 0-based
  uint32_t col = 0;   // 0-based, in bytes

  bool valid() const { return file != nullptr; }
  // "file:line:col" printed 1-based, or "" when there is no location.
  std::string str() const;
};

}  // namespace meshc
