#include "compiler/cli/help_format.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace meshc {

namespace {

constexpr std::size_t kMinWidth = 40;
constexpr std::size_t kDefaultWidth = 80;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::size_t leading_spaces(const std::string& line) {
  std::size_t n = line.find_first_not_of(' ');
  return n == std::string::npos ? line.size() : n;
}

// A line already laid out (a footer's example, the usage line) fitted to `width`: the part
// past the width continues on lines indented two more than it, comments ("# ...") as comments.
std::string fit_line(const std::string& line, std::size_t width) {
  if (line.size() <= width) return line + "\n";
  std::size_t indent = leading_spaces(line);
  std::string body = line.substr(indent);
  bool comment = body.rfind("# ", 0) == 0;
  std::string prefix(indent, ' ');
  std::size_t next = std::min(indent + 2, width / 2);
  if (comment) {
    // A comment continues as a comment: "# " again, under the first.
    std::string out = prefix + "# " + wrap_paragraph(body.substr(2), width, indent + 2, indent + 2);
    std::string from = "\n" + std::string(indent + 2, ' '), to = "\n" + prefix + "# ";
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at)) {
      out.replace(at, from.size(), to);
      at += to.size();
    }
    return out + "\n";
  }
  return prefix + wrap_paragraph(body, width, indent, next) + "\n";
}

// Lines that start at the margin are refilled into paragraphs (a blank or an indented line
// ends one); indented lines (examples) keep their layout, wrapped when too long.
std::string fill(const std::string& text, std::size_t width) {
  std::string out, paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) out += wrap_paragraph(paragraph, width, 0, 0) + "\n";
    paragraph.clear();
  };
  for (const std::string& line : split_lines(text)) {
    if (line.empty()) {
      flush();
      out += "\n";
    } else if (line[0] == ' ') {
      flush();
      out += fit_line(line, width);
    } else {
      paragraph += (paragraph.empty() ? "" : " ") + line;
    }
  }
  flush();
  return out;
}

}  // namespace

std::size_t help_width() {
  std::size_t width = 0;
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    long n = std::strtol(columns, &end, 10);
    if (*end == '\0' && n > 0) width = static_cast<std::size_t>(n);
  }
  if (width == 0 && isatty(STDOUT_FILENO)) {
    struct winsize ws {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) width = ws.ws_col;
  }
  if (width == 0) width = kDefaultWidth;
  return std::max(width, kMinWidth);
}

std::string wrap_paragraph(const std::string& text, std::size_t width, std::size_t first_used,
                           std::size_t indent) {
  std::string out;
  std::size_t used = first_used;
  bool line_empty = true;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    std::size_t need = word.size() + (line_empty ? 0 : 1);
    if (!line_empty && used + need > width) {
      out += "\n" + std::string(indent, ' ');
      used = indent;
      line_empty = true;
      need = word.size();
    }
    // A word longer than a whole line: cut it where the line ends.
    while (used + word.size() > width && width > used + 1 && line_empty) {
      std::size_t room = width - used;
      out += word.substr(0, room) + "\n" + std::string(indent, ' ');
      word = word.substr(room);
      used = indent;
    }
    if (!line_empty) out += " ";
    out += word;
    used += word.size() + (line_empty ? 0 : 1);
    line_empty = false;
  }
  return out;
}

WrappingFormatter::WrappingFormatter(std::size_t width) : width_(width) {
  column_width(std::min<std::size_t>(30, width * 2 / 5));
}

std::string WrappingFormatter::entry(const std::string& name,
                                     const std::string& description) const {
  std::size_t col = get_column_width();
  std::string head = "  " + name;
  std::string out;
  std::size_t used;
  if (head.size() + 2 > col) {
    // The name fills the column: the description starts on the next line.
    out = wrap_paragraph(head, width_, 0, 6);
    if (description.empty()) return out + "\n";
    out += "\n" + std::string(col, ' ');
    used = col;
  } else {
    out = head + std::string(col - head.size(), ' ');
    used = col;
  }
  // Each line of the description is a paragraph of its own.
  bool first = true;
  for (const std::string& paragraph : split_lines(description)) {
    if (!first) out += "\n" + std::string(col, ' ');
    out += wrap_paragraph(paragraph, width_, used, col);
    first = false;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\n";
}

std::string WrappingFormatter::make_option(const CLI::Option* opt, bool is_positional) const {
  return entry(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
}

std::string WrappingFormatter::make_subcommand(const CLI::App* sub) const {
  return entry(sub->get_display_name(true), sub->get_description());
}

std::string WrappingFormatter::make_description(const CLI::App* app) const {
  return fill(app->get_description(), width_);
}

std::string WrappingFormatter::make_usage(const CLI::App* app, std::string name) const {
  std::string out;
  for (const std::string& line : split_lines(CLI::Formatter::make_usage(app, name))) {
    out += fit_line(line, width_);
  }
  return out;
}

std::string WrappingFormatter::make_footer(const CLI::App* app) const {
  return fill(app->get_footer(), width_);
}

std::string WrappingFormatter::make_help(const CLI::App* app, std::string name,
                                         CLI::AppFormatMode mode) const {
  // What the overrides above cannot reach (a group's title): cut, never longer than the width.
  std::string out;
  for (const std::string& line : split_lines(CLI::Formatter::make_help(app, name, mode))) {
    out += fit_line(line, width_);
  }
  return out;
}

}  // namespace meshc
