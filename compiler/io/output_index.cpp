#include "compiler/io/output_index.h"

#include <filesystem>
#include <sstream>

#include "compiler/io/output.h"

namespace meshc {

namespace fs = std::filesystem;

namespace {

const char* kHeader =
    "# meshc compile -o: the files of this directory that meshc wrote, and the input each came\n"
    "# from (relative to this directory). meshc deletes a file listed here once its input no\n"
    "# longer produces it, and never touches a file not listed. Commit it with the manifests.\n";

// <namespace>.<app>.yaml, optionally under one step folder <digits>-<[a-z0-9-]+>.
bool index_file_name(const std::string& file) {
  std::string name = file;
  if (size_t slash = file.find('/'); slash != std::string::npos) {
    std::string folder = file.substr(0, slash);
    name = file.substr(slash + 1);
    size_t dash = folder.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == folder.size()) return false;
    for (size_t i = 0; i < folder.size(); ++i) {
      char c = folder[i];
      bool ok = i < dash ? (c >= '0' && c <= '9')
                         : (c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
      if (!ok) return false;
    }
  }
  return !name.empty() && name.find('/') == std::string::npos && name[0] != '.' &&
         name.size() >= 6 && name.compare(name.size() - 5, 5, ".yaml") == 0;
}

}  // namespace

std::string index_input_key(const std::string& dir, const std::string& input) {
  if (input == "-" || input == kStdinInput) return kStdinInput;
  std::error_code ec;
  fs::path base = fs::absolute(dir, ec).lexically_normal();
  fs::path in = fs::absolute(input, ec).lexically_normal();
  return in.lexically_relative(base).generic_string();
}

bool read_output_index(const std::string& dir, OutputIndex* index, std::string* error) {
  index->clear();
  fs::path path = fs::path(dir) / kOutputIndexName;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return true;
  std::string text;
  if (!read_file(path.string(), &text)) {
    *error = "cannot read " + path.string();
    return false;
  }
  if (text.rfind(kHeader, 0) != 0) {
    *error = path.string() + " is not an index meshc wrote (it does not start with meshc's " +
             "header); move it away";
    return false;
  }
  std::istringstream lines(text.substr(std::string(kHeader).size()));
  std::string line;
  size_t n = 3;
  while (std::getline(lines, line)) {
    ++n;
    size_t tab = line.find('\t');
    // A file name directly in DIR, as meshc names them (<namespace>.<app>.yaml), or in a step
    // folder of DIR (--all-steps: <index>-<name>/<namespace>.<app>.yaml): never another path,
    // so an edited index cannot make meshc delete anything elsewhere.
    const std::string file = line.substr(0, tab == std::string::npos ? 0 : tab);
    if (tab == std::string::npos || tab + 1 == line.size() || !index_file_name(file)) {
      *error = path.string() + ":" + std::to_string(n) +
               ": expected \"file<TAB>input\" as meshc writes it";
      return false;
    }
    (*index)[file] = line.substr(tab + 1);
  }
  return true;
}

std::string render_output_index(const OutputIndex& index) {
  std::string out = kHeader;
  for (const auto& [file, input] : index) out += file + "\t" + input + "\n";
  return out;
}

OutputPlan plan_output(const std::string& dir, const OutputIndex& old_index,
                       const std::map<std::string, std::string>& produced,
                       const std::set<std::string>& read_inputs) {
  OutputPlan plan;
  for (const auto& [file, input] : old_index) {
    if (produced.count(file)) continue;
    bool gone = read_inputs.count(input) > 0;
    if (!gone && input != kStdinInput) {
      std::error_code ec;
      gone = !fs::exists(fs::path(dir) / input, ec) && !ec;
    }
    if (!gone) {
      plan.index.emplace(file, input);
      continue;
    }
    std::error_code ec;
    if (fs::exists(fs::symlink_status(fs::path(dir) / file, ec))) {
      plan.orphans.push_back(file);
      plan.orphan_inputs[file] = input;
    }
  }
  for (const auto& [file, input] : produced) plan.index[file] = input;
  return plan;
}

}  // namespace meshc
