#include "compiler/cli/cli_model.h"

#include <algorithm>

#include "targets/target.h"

namespace meshc {

namespace {

// Values meshc's registries define, for options whose check is done after parsing (to give
// a located message with a suggestion) rather than by a CLI11 IsMember.
std::vector<std::string> registry_choices(const std::string& long_name) {
  std::vector<std::string> out;
  if (long_name == "target") {
    for (const Target* t : all_targets()) {
      out.push_back(t->info().name);
      for (const ApiVersion& v : t->info().api_versions) {
        out.push_back(t->info().name + "@" + v.name);
      }
    }
  } else if (long_name == "implementation" || long_name == "gateway-implementation") {
    for (const Target* t : all_targets()) {
      for (const ImplementationInfo& i : t->info().implementations()) out.push_back(i.alias);
    }
  }
  return out;
}

CliOption read_option(const CLI::Option* opt) {
  CliOption o;
  for (const std::string& s : opt->get_snames()) o.names.push_back("-" + s);
  for (const std::string& l : opt->get_lnames()) o.names.push_back("--" + l);
  o.description = opt->get_description();
  o.repeatable = opt->get_expected_max() > 1 ||
                 opt->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  if (opt->get_type_size() == 0) return o;  // a flag
  // "TEXT:{a,b,c}": the type name, then each validator's description (an IsMember's set).
  std::string type = opt->get_type_name();
  std::size_t colon = type.find(':');
  o.value_name = type.substr(0, colon);
  std::size_t open = type.find(":{");
  if (open != std::string::npos && type.back() == '}') {
    std::string set = type.substr(open + 2, type.size() - open - 3);
    std::size_t start = 0;
    while (start <= set.size()) {
      std::size_t comma = set.find(',', start);
      if (comma == std::string::npos) comma = set.size();
      if (comma > start) o.choices.push_back(set.substr(start, comma - start));
      start = comma + 1;
    }
  }
  if (o.choices.empty() && !opt->get_lnames().empty()) {
    o.choices = registry_choices(opt->get_lnames().front());
  }
  if (!o.choices.empty()) {
    o.kind = ValueKind::kChoice;
  } else if (o.value_name == "DIR") {
    o.kind = ValueKind::kDir;
  } else if (opt->get_positional() || o.value_name == "FILE" || o.value_name == "PATH") {
    o.kind = ValueKind::kFile;
  }
  return o;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

CliModel cli_model(CLI::App* running) {
  CLI::App* root = running;
  while (root->get_parent()) root = root->get_parent();
  // Fresh commands for the subcommands not parsed; they own what the options write to and
  // must outlive the registration (kept for the life of the process: the model is built
  // once, just before meshc exits).
  static std::vector<std::unique_ptr<Command>> keep;
  keep = all_commands();
  for (auto& command : keep) {
    std::vector<CLI::App*> subs =
        root->get_subcommands([&](CLI::App* s) { return s->get_name() == command->name(); });
    if (!subs.empty() && subs.front() != running) command->add_options(subs.front());
  }

  CliModel model;
  model.description = root->get_description();
  model.footer = root->get_footer();
  for (const CLI::Option* opt : root->get_options()) model.options.push_back(read_option(opt));
  for (CLI::App* sub : root->get_subcommands([](CLI::App* s) { return !s->get_name().empty(); })) {
    if (sub->get_disabled()) continue;
    CliCommand c;
    c.name = sub->get_name();
    c.summary = sub->get_description();
    c.usage = first_line(CLI::Formatter().make_usage(sub, "meshc " + c.name));
    c.usage = c.usage.substr(c.usage.find(':') + 2);  // without "Usage: "
    c.examples = sub->get_footer();
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_positional()) {
        c.has_arguments = true;
        c.arguments = read_option(opt);
        c.arguments.names = {opt->get_name(true)};
      } else {
        c.options.push_back(read_option(opt));
      }
    }
    model.commands.push_back(std::move(c));
  }
  return model;
}

}  // namespace meshc
