// meshc's help text, wrapped to the terminal: CLI11 prints descriptions on one line however
// long they are.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace meshc {

// The width help is wrapped to: $COLUMNS when it is a number, else the terminal's width when
// stdout is a terminal, else 80; never less than 40.
std::size_t help_width();

// Word-wraps `text` (one paragraph, no newlines) to `width` columns: the first line starts
// after `first_used` columns already printed, the next ones with `indent` spaces. A word
// longer than a line is cut.
std::string wrap_paragraph(const std::string& text, std::size_t width, std::size_t first_used,
                           std::size_t indent);

// CLI11's formatter with every line fitted to `width`: option and command descriptions
// wrapped in their column, the description refilled, footer lines wrapped under their indent.
class WrappingFormatter : public CLI::Formatter {
 public:
  explicit WrappingFormatter(std::size_t width);
  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;
  std::string make_option(const CLI::Option* opt, bool is_positional) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_description(const CLI::App* app) const override;
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_footer(const CLI::App* app) const override;

 private:
  // "  NAME   description", the description wrapped in its column.
  std::string entry(const std::string& name, const std::string& description) const;
  std::size_t width_;
};

}  // namespace meshc
