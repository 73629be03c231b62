#include "compiler/diag/source.h"

#include <algorithm>

#include "compiler/support/byte_scan.h"
#include "compiler/support/large_buffer.h"

namespace meshc {

SourceFile::SourceFile(std::string display_name, std::string text)
    : name_(std::move(display_name)), owned_(std::move(text)), text_(owned_) {}

SourceFile::SourceFile(std::string display_name, const char* mapped, size_t size)
    : name_(std::move(display_name)), mapped_(true), text_(mapped, size) {}

SourceFile::~SourceFile() {
  if (mapped_) unmap_file(text_.data(), text_.size());
}

const std::vector<size_t>& SourceFile::line_starts() const {
  if (!line_starts_.empty()) return line_starts_;
  std::string_view text = text_;
  line_starts_.reserve(count_byte(text, '\n') + 1);
  line_starts_.push_back(0);
  for (size_t p = text.find('\n'); p != std::string_view::npos; p = text.find('\n', p + 1)) {
    line_starts_.push_back(p + 1);
  }
  return line_starts_;
}

uint32_t SourceFile::line_count() const {
  return static_cast<uint32_t>(line_starts().size());
}

std::string_view SourceFile::line_text(uint32_t line) const {
  const std::vector<size_t>& starts = line_starts();
  if (line >= starts.size()) return {};
  size_t begin = starts[line];
  size_t end = line + 1 < starts.size() ? starts[line + 1] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return text_.substr(begin, end - begin);
}

void SourceFile::position_of(size_t offset, uint32_t* line, uint32_t* col) const {
  if (!line_starts_.empty()) {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t l = static_cast<size_t>(it - line_starts_.begin()) - 1;
    *line = static_cast<uint32_t>(l);
    *col = static_cast<uint32_t>(offset - line_starts_[l]);
    return;
  }
  // The line is the number of newlines before `offset`; its start is after the last of them.
  std::string_view text = text_;
  if (offset < cursor_offset_) cursor_offset_ = 0, cursor_line_ = 0;
  size_t upto = std::min(offset, text.size());
  if (upto > cursor_offset_) {
    cursor_line_ +=
        static_cast<uint32_t>(count_byte(text.substr(cursor_offset_, upto - cursor_offset_), '\n'));
    cursor_offset_ = upto;
  }
  size_t nl = upto == 0 ? std::string_view::npos : text.rfind('\n', upto - 1);
  *line = cursor_line_;
  *col = static_cast<uint32_t>(offset - (nl == std::string_view::npos ? 0 : nl + 1));
}

void SourceFile::note_line_start(size_t offset, uint32_t line) const {
  if (!line_starts_.empty() || offset > text_.size()) return;
  cursor_offset_ = offset;
  cursor_line_ = line;
}

std::string Location::str() const {
  if (!file) return "";
  return file->name() + ":" + std::to_string(line + 1) + ":" + std::to_string(col + 1);
}

}  // namespace meshc
