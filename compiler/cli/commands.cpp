// The one list of meshc's commands. A new command = one *_command.cpp + one line here.
#include "compiler/cli/command.h"

namespace meshc {

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> out;
  out.push_back(make_compile_command());
  out.push_back(make_validate_command());
  out.push_back(make_routemap_command());
  out.push_back(make_plan_command());
  out.push_back(make_explain_command());
  out.push_back(make_post_render_command());
  out.push_back(make_krm_command());
  out.push_back(make_lint_command());
  out.push_back(make_diff_command());
  out.push_back(make_promote_command());
  out.push_back(make_targets_command());
  out.push_back(make_schema_command());
  out.push_back(make_version_command());
  out.push_back(make_completion_command());
  out.push_back(make_man_command());
  return out;
}

}  // namespace meshc
