#include "compiler/source.h"

#include <algorithm>

namespace meshc {

SourceFile::SourceFile(std::string display_name, std::string text)
    : name_(std::move(display_name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line >= line_starts_.size()) return {};
  size_t begin = line_starts_[line];
  size_t end = line + 1 < line_starts_.size() ? line_starts_[line + 1] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

void SourceFile::position_of(size_t offset, uint32_t* line, uint32_t* col) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t l = static_cast<size_t>(it - line_starts_.begin()) - 1;
  *line = static_cast<uint32_t>(l);
  *col = static_cast<uint32_t>(offset - line_starts_[l]);
}

std::string Location::str() const {
  if (!file) return "";
  return file->name() + ":" + std::to_string(line + 1) + ":" + std::to_string(col + 1);
}

}  // namespace meshc
