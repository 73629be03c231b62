// The fast path of the command line (compiler/cli/fast_args.h): for compile, validate and
// routemap, its table names exactly the options CLI11 registers, and every command line it
// accepts leaves the command in the state CLI11's parse leaves it in; one it refuses leaves
// the command untouched (CLI11 then parses it as before).
#include "compiler/cli/fast_args.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include "compiler/cli/command.h"

using namespace meshc;

namespace {

using Factory = std::function<std::unique_ptr<Command>()>;

std::vector<std::pair<std::string, Factory>> fast_commands() {
  return {{"compile", make_compile_command},
          {"validate", make_validate_command},
          {"routemap", make_routemap_command}};
}

// A CLI11 option's names as a FastOption spells them: "-t,--target", "" for the positionals.
std::string cli_names(const CLI::Option* opt) {
  std::string names;
  for (const auto& s : opt->get_snames()) names += (names.empty() ? "-" : ",-") + s;
  for (const auto& l : opt->get_lnames()) names += (names.empty() ? "--" : ",--") + l;
  return names;
}

// Every target's value, one string each, in table order.
std::vector<std::string> values_of(const std::vector<FastOption>& table) {
  std::vector<std::string> out;
  for (const FastOption& o : table) {
    std::string v = std::string(o.names) + "=";
    if (auto* b = std::get_if<bool*>(&o.target)) v += **b ? "true" : "false";
    if (auto* s = std::get_if<std::string*>(&o.target)) v += "[" + **s + "]";
    if (auto* l = std::get_if<std::vector<std::string>*>(&o.target)) {
      for (const auto& e : **l) v += "[" + e + "]";
    }
    if (auto* n = std::get_if<size_t*>(&o.target)) v += std::to_string(**n);
    out.push_back(v);
  }
  return out;
}

// Parses `args` with CLI11 as main.cpp does; false when CLI11 refuses them.
bool cli11_parse(Command& command, std::vector<std::string> args) {
  CLI::App app{"meshc", "meshc"};
  app.set_version_flag("-V,--version", "v");
  app.require_subcommand(1);
  CLI::App* sub = app.add_subcommand(command.name(), command.summary());
  sub->preparse_callback([&command, sub](std::size_t) { command.add_options(sub); });
  args.insert(args.begin(), command.name());
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError&) {
    return false;
  }
  return true;
}

// The names of the entry of `table` one of whose names is `name`.
std::string table_names(const std::vector<FastOption>& table, const std::string& name) {
  for (const FastOption& f : table) {
    std::string names = std::string(",") + f.names + ",";
    if (names.find("," + name + ",") != std::string::npos) return f.names;
  }
  return "";
}

const std::vector<std::string> kReserved = {"compile", "validate", "routemap", "help"};

TEST(FastArgs, TableNamesEveryOptionCli11Registers) {
  for (const auto& [name, make] : fast_commands()) {
    SCOPED_TRACE(name);
    auto command = make();
    CLI::App app{"meshc", "meshc"};
    CLI::App* sub = app.add_subcommand(name, "");
    command->add_options(sub);
    std::vector<FastOption> table = command->fast_options();
    std::set<std::string> registered;
    for (const CLI::Option* opt : sub->get_options()) {
      std::string names = cli_names(opt);
      if (names == "-h,--help") continue;
      registered.insert(names);
      auto it = std::find_if(table.begin(), table.end(),
                             [&](const FastOption& f) { return f.names == names; });
      ASSERT_NE(it, table.end()) << names << " is registered with CLI11, not in fast_options";
      bool flag = std::holds_alternative<bool*>(it->target);
      bool list = std::holds_alternative<std::vector<std::string>*>(it->target);
      EXPECT_EQ(flag, opt->get_expected_min() == 0) << names;
      EXPECT_EQ(list, opt->get_items_expected_max() > 1) << names;
      // CLI11's excludes go both ways; the table names each pair once.
      std::set<std::string> cli_excludes, fast_excludes;
      for (const CLI::Option* ex : opt->get_excludes()) cli_excludes.insert(cli_names(ex));
      for (const FastOption& f : table) {
        if (f.names == names && *f.excludes) fast_excludes.insert(table_names(table, f.excludes));
        if (*f.excludes && table_names(table, f.excludes) == names) fast_excludes.insert(f.names);
      }
      EXPECT_EQ(cli_excludes, fast_excludes) << names;
    }
    EXPECT_EQ(registered.size(), table.size());
  }
}

// The arguments to try: every option in each of its forms with values CLI11 accepts and
// refuses, positionals, and what the fast path must leave to CLI11.
std::vector<std::vector<std::string>> fragments(const std::vector<FastOption>& table) {
  const std::vector<std::string> values = {"x",         "httpbin",
                                           "istio",     "gateway-api@v1",
                                           "",          "-x",
                                           "true",      "false",
                                           "json",      "sarif",
                                           "auto",      "never",
                                           "0",         "010",
                                           "1048576",   "a=b",
                                           "compile",   "help",
                                           "two words", "ünï",
                                           "out/",      "--name",
                                           "0x10",      "-1",
                                           "1e3",       "18446744073709551616"};
  std::vector<std::vector<std::string>> out = {
      {"--"}, {"-h"}, {"--help"},    {"-V"},     {"-qv"},    {"--unknown"}, {"--Name", "x"},
      {"-"},  {""},   {"spec.yaml"}, {"specs/"}, {"a.yaml"}, {"compile"},   {"-tistio"}};
  for (const FastOption& o : table) {
    std::string names = o.names;
    if (names.empty()) continue;
    std::vector<std::string> spellings;
    for (size_t start = 0, comma; start <= names.size(); start = comma + 1) {
      comma = std::min(names.find(',', start), names.size());
      spellings.push_back(names.substr(start, comma - start));
    }
    for (const std::string& s : spellings) {
      if (std::holds_alternative<bool*>(o.target)) {
        out.push_back({s});
        out.push_back({s + "=true"});
        continue;
      }
      for (const std::string& v : values) {
        out.push_back({s, v});
        if (s[1] == '-') out.push_back({s + "=" + v});
      }
      out.push_back({s});  // no value
    }
  }
  return out;
}

// Runs one command line both ways.
void compare(const Factory& make, const std::vector<std::string>& args, int* accepted) {
  auto by_cli11 = make();
  auto by_fast = make();
  auto fresh = make();
  std::vector<FastOption> fast_table = by_fast->fast_options();
  bool fast = parse_fast(fast_table, args, kReserved);
  std::string line;
  for (const auto& a : args) line += " '" + a + "'";
  if (!fast) {
    EXPECT_EQ(values_of(fast_table), values_of(fresh->fast_options())) << line;
    return;
  }
  ++*accepted;
  ASSERT_TRUE(cli11_parse(*by_cli11, args)) << "fast path accepted what CLI11 refuses:" << line;
  EXPECT_EQ(values_of(fast_table), values_of(by_cli11->fast_options())) << line;
}

TEST(FastArgs, SameStateAsCli11ForEveryFragmentAndPair) {
  for (const auto& [name, make] : fast_commands()) {
    SCOPED_TRACE(name);
    auto frags = fragments(make()->fast_options());
    int accepted = 0;
    int tried = 0;
    for (const auto& f : frags) {
      compare(make, f, &accepted);
      ++tried;
    }
    // Pairs of every valid-looking fragment (repeats, exclusions, orders).
    std::vector<std::vector<std::string>> good;
    for (const auto& f : frags) {
      auto probe = make();
      auto t = probe->fast_options();
      if (parse_fast(t, f, kReserved)) good.push_back(f);
    }
    // Each with a spread of 40 others (all pairs took 20 s).
    for (size_t i = 0; i < good.size(); ++i) {
      for (size_t k = 0; k < 40; ++k) {
        const auto& a = good[i];
        const auto& b = good[(i * 7 + k * good.size() / 40 + k) % good.size()];
        std::vector<std::string> args = a;
        args.insert(args.end(), b.begin(), b.end());
        compare(make, args, &accepted);
        ++tried;
      }
    }
    EXPECT_GT(good.size(), 100u);
    EXPECT_GT(accepted, tried / 4);
  }
}

TEST(FastArgs, SameStateAsCli11ForRandomCommandLines) {
  std::mt19937 rng(15);
  for (const auto& [name, make] : fast_commands()) {
    SCOPED_TRACE(name);
    auto frags = fragments(make()->fast_options());
    std::vector<std::vector<std::string>> good;
    for (const auto& f : frags) {
      auto probe = make();
      auto t = probe->fast_options();
      if (parse_fast(t, f, kReserved)) good.push_back(f);
    }
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
      std::vector<std::string> args;
      size_t n = rng() % 7;
      for (size_t k = 0; k < n; ++k) {
        // Mostly fragments the fast path takes alone, so that many lines reach CLI11.
        const auto& f = rng() % 4 ? good[rng() % good.size()] : frags[rng() % frags.size()];
        args.insert(args.end(), f.begin(), f.end());
      }
      compare(make, args, &accepted);
    }
    EXPECT_GT(accepted, 1000);
  }
}

TEST(FastArgs, RefusesWhatOnlyCli11MayAnswer) {
  auto command = make_compile_command();
  auto t = command->fast_options();
  for (std::vector<std::string> args : {std::vector<std::string>{"a.yaml", "--help"},
                                        {"-qv"},
                                        {"--", "a.yaml"},
                                        {"--name", ""},
                                        {"--name", "a", "--name", "b"},
                                        {"--caret", "sometimes"},
                                        {"-q", "-v"},
                                        {"--all-steps", "--step", "1"},
                                        {"--check=true"},
                                        {"--max-input-bytes", "010"},
                                        {"--unknown"},
                                        {"-t"}}) {
    EXPECT_FALSE(parse_fast(t, args, kReserved)) << args[0];
  }
  EXPECT_TRUE(
      parse_fast(t, {"a.yaml", "--name=x", "-t", "istio", "-o", "out/", "b.yaml"}, kReserved));
}

}  // namespace
