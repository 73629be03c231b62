// meshc schema: the release schema, its field reference, or the chart's values schema.
#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/schema/helm_schema.h"
#include "compiler/schema/schema_doc.h"
#include "compiler/schema/schema_validator.h"

namespace meshc {

namespace {

class SchemaCommand final : public Command {
 public:
  const char* name() const override { return "schema"; }
  const char* summary() const override {
    return "Print the JSON Schema of the release spec (or its field reference as Markdown).";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # The JSON Schema, for editors and CI\n"
           "  meshc schema > release.schema.json\n"
           "\n"
           "  # The field reference\n"
           "  meshc schema --format markdown\n"
           "\n"
           "  # A chart's values.schema.json\n"
           "  meshc schema --format helm > values.schema.json";
  }
  void add_options(CLI::App* cmd) override {
    cmd->add_option("--format", format_,
                    "json (the schema itself), markdown, or helm (charts/release/"
                    "values.schema.json: the values form, KServe environments left to meshc).")
        ->check(CLI::IsMember({"json", "markdown", "helm"}));
  }
  int run() override {
    return finish_stdout(format_ == "json"   ? SchemaValidator::schema_text()
                         : format_ == "helm" ? helm_values_schema()
                                             : schema_markdown());
  }

 private:
  std::string format_ = "json";
};

}  // namespace

std::unique_ptr<Command> make_schema_command() {
  return std::make_unique<SchemaCommand>();
}

}  // namespace meshc
