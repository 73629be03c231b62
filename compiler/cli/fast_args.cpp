#include "compiler/cli/fast_args.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace meshc {

namespace {

// Whether `name` ("-t", "--target") is one of the comma-separated `names`.
bool fast_names_include(std::string_view names, std::string_view name) {
  while (!names.empty()) {
    size_t comma = names.find(',');
    if (names.substr(0, comma) == name) return true;
    if (comma == std::string_view::npos) break;
    names.remove_prefix(comma + 1);
  }
  return false;
}

// The index in `table` of the option named `name` ("" = the positionals), or -1.
int fast_find(const std::vector<FastOption>& table, std::string_view name) {
  for (size_t i = 0; i < table.size(); ++i) {
    std::string_view names = table[i].names;
    if (name.empty() ? names.empty() : fast_names_include(names, name)) return int(i);
  }
  return -1;
}

// A size as CLI11 reads it from plain digits (no sign, no leading zero: CLI11 reads 010 as
// octal), or false.
bool fast_size(const std::string& value, size_t* out) {
  if (value.empty() || value.size() > 18 || (value[0] == '0' && value.size() > 1)) return false;
  if (value.find_first_not_of("0123456789") != std::string::npos) return false;
  *out = size_t(std::stoull(value));
  return true;
}

// Whether `value` is one this parser may give `option`: what CLI11 takes as is.
bool fast_value_ok(const FastOption& option, const std::string& value,
                   const std::vector<std::string>& reserved) {
  if (value.empty() || value[0] == '-') return false;
  if (std::find(reserved.begin(), reserved.end(), value) != reserved.end()) return false;
  const auto* m = option.members;
  if (m && !m->empty() && std::find(m->begin(), m->end(), value) == m->end()) return false;
  size_t size = 0;
  return !std::holds_alternative<size_t*>(option.target) || fast_size(value, &size);
}

// Splits the argument at `*i` into (option index, value), advancing `*i` past a separate
// value; false when it is not a plain form.
bool fast_split(const std::vector<FastOption>& table, const std::vector<std::string>& args,
                size_t* i, std::pair<int, std::string>* out) {
  const std::string& arg = args[*i];
  bool is_long = arg.size() > 2 && arg[0] == '-' && arg[1] == '-';
  bool is_short = arg.size() == 2 && arg[0] == '-' && arg[1] != '-';
  if (!is_long && !is_short) {
    if (arg != "-" && !arg.empty() && arg[0] == '-') return false;
    *out = {fast_find(table, ""), arg};
    return out->first >= 0;
  }
  size_t eq = is_long ? arg.find('=') : std::string::npos;
  int index = fast_find(table, std::string_view(arg).substr(0, eq));
  if (index < 0) return false;
  bool flag = std::holds_alternative<bool*>(table[size_t(index)].target);
  if (flag) {
    *out = {index, ""};
    return eq == std::string::npos;
  }
  if (eq != std::string::npos) {
    *out = {index, arg.substr(eq + 1)};
  } else if (*i + 1 < args.size()) {
    *out = {index, args[++*i]};
  } else {
    return false;
  }
  return true;
}

// Whether an option and the one it excludes were both given.
bool fast_excluded(const std::vector<FastOption>& table, const std::vector<int>& counts) {
  for (size_t i = 0; i < table.size(); ++i) {
    if (counts[i] == 0 || !*table[i].excludes) continue;
    int other = fast_find(table, table[i].excludes);
    if (other < 0 || counts[size_t(other)] > 0) return true;
  }
  return false;
}

// Stores `value` in `option`'s target (checked by fast_value_ok).
void fast_store(const FastOption& option, const std::string& value) {
  if (auto* b = std::get_if<bool*>(&option.target)) {
    **b = true;
  } else if (auto* s = std::get_if<std::string*>(&option.target)) {
    **s = value;
  } else if (auto* v = std::get_if<std::vector<std::string>*>(&option.target)) {
    (*v)->push_back(value);
  } else {
    fast_size(value, *std::get_if<size_t*>(&option.target));
  }
}

}  // namespace

bool parse_fast(const std::vector<FastOption>& table, const std::vector<std::string>& args,
                const std::vector<std::string>& reserved) {
  std::vector<std::pair<int, std::string>> parsed;
  std::vector<int> counts(table.size(), 0);
  for (size_t i = 0; i < args.size(); ++i) {
    std::pair<int, std::string> item;
    if (!fast_split(table, args, &i, &item)) return false;
    const FastOption& option = table[size_t(item.first)];
    bool flag = std::holds_alternative<bool*>(option.target);
    bool repeatable = std::holds_alternative<std::vector<std::string>*>(option.target);
    if (!flag && !fast_value_ok(option, item.second, reserved)) return false;
    if (++counts[size_t(item.first)] > 1 && !repeatable) return false;
    parsed.push_back(std::move(item));
  }
  if (fast_excluded(table, counts)) return false;
  // Only now, when CLI11 will not parse: it would start from the targets' defaults.
  for (const auto& [index, value] : parsed) fast_store(table[size_t(index)], value);
  return true;
}

}  // namespace meshc
