// meshc post-render: Helm's post-renderer (stdin to stdout).
#include <optional>

#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/integrations/post_render.h"
#include "compiler/io/input.h"
#include "compiler/io/output.h"

namespace meshc {

namespace {

class PostRenderCommand final : public Command {
 public:
  const char* name() const override { return "post-render"; }
  const char* summary() const override {
    return "Helm post-renderer: read rendered manifests on stdin, replace every kind: Release "
           "(meshc.dev) document by its compiled objects, pass every other document through "
           "byte for byte.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # Helm 3: compile the chart's kind: Release at install\n"
           "  helm install app charts/release -f values.yaml --post-renderer meshc "
           "--post-renderer-args post-render\n"
           "\n"
           "  # Without a cluster\n"
           "  helm template app charts/release -f values.yaml | meshc post-render --target istio";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, false);
    add_step_option(cmd, opts_);
    add_check_against(cmd, opts_);
  }
  int run() override;

 private:
  CompileOptions opts_;
};

int PostRenderCommand::run() {
  int exit_code = kExitOk;
  std::optional<CompileSetup> setup = resolve_options(opts_, &exit_code);
  if (!setup) return exit_code;
  std::unique_ptr<Driver> driver = setup->make_driver();
  // A pipe is cut into documents as it arrives (while Helm still writes), not afterwards.
  std::optional<PostRenderScan> scan;
  auto on_read = [&scan](const char* data, size_t size) {
    if (!scan) scan.emplace(data);
    scan->feed(size, false);
  };
  ReadInput in = read_input("-", setup->limits.max_input_bytes, driver->sink(), on_read);
  PostRenderPieces out;
  if (in.source && in.complete) {
    const SourceFile& stream = driver->add_source(std::move(in.source));
    post_render_pieces(stream, setup->limits, *driver, out, scan ? &*scan : nullptr);
  }
  const DiagnosticSink& sink = driver->sink();
  if (!sink.all().empty() || structured(setup->print.format))
    print_diagnostics(sink.all(), setup->print, stderr);
  if (run_failed(sink, setup->warnings_as_errors)) return kExitInvalid;
  return write_stdout_or_report(out.pieces) ? kExitOk : kExitInvalid;
}

}  // namespace

std::unique_ptr<Command> make_post_render_command() {
  return std::make_unique<PostRenderCommand>();
}

}  // namespace meshc
