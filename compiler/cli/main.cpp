// meshc: compiles release specs into the Kubernetes objects of a service mesh.
// This file is the command line only: options, exit codes, and where output goes.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "compiler/cli/stream_commands.h"
#include "compiler/driver/driver.h"
#include "compiler/io/check_output.h"
#include "compiler/io/output.h"
#include "compiler/ir/routemap_print.h"
#include "compiler/k8s/names.h"
#include "compiler/schema/helm_schema.h"
#include "compiler/schema/schema_doc.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/verify/crd_check.h"
#include "targets/target.h"

namespace {

using namespace meshc;

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

struct CommonOptions {
  std::vector<std::string> inputs;
  std::string target;
  std::string name;
  std::string namespace_;
  std::string diagnostics_format = "text";
  std::string caret = "auto";
  bool werror = false;
  Limits limits;
  RoutingOverrides routing;   // --implementation, --gateway-implementation, --app-version-header
  std::string check_against;  // --check-against DIR ("" = no CRD check)
  bool keep_going = false;    // compile --keep-going (docs/limits.md)
};

// What a run_frontend() that went on despite errors (--keep-going) knows about them.
struct Failures {
  bool any = false;                   // anything failed: the exit status is 1
  bool all = false;                   // an error no input file can be blamed for
  std::set<const SourceFile*> files;  // inputs with an error (or warning, -Werror)
};

// An option given with an empty value (-o '', --target "") is a usage error, not the default
// the option would have had without it: an empty variable in a script must not silently turn
// `-o "$OUT"` into stdout or `--target "$T"` into each spec's environment.
const CLI::Validator kNonEmpty(
    [](std::string& value) {
      return value.empty() ? std::string("expected a value, got an empty string") : std::string();
    },
    "", "NONEMPTY");

// The options that override the spec's routing fields (implementation, gatewayImplementation,
// appVersionHeader); every command that takes --target takes them.
void add_routing_options(CLI::App* cmd, RoutingOverrides& r) {
  cmd->add_option("--implementation", r.implementation,
                  "gateway-api: the Gateway API implementation serving the routes, as its "
                  "conformance report names it (organization/project) or its alias "
                  "(meshc targets --implementations); every feature the routes use is checked "
                  "against it. Overrides the spec's implementation.")
      ->type_name("NAME")
      ->check(kNonEmpty);
  cmd->add_option("--gateway-implementation", r.gateway_implementation,
                  "gateway-api: the implementation of the ingress gateway (the spec's gateway), "
                  "when it is not --implementation. Overrides the spec's gatewayImplementation.")
      ->type_name("NAME")
      ->check(kNonEmpty);
  cmd->add_option("--app-version-header", r.app_version_header,
                  "true: every response carries app-version: <version> (an error where the "
                  "target cannot set it); false: never. Default: wherever the target can. "
                  "Overrides the spec's appVersionHeader.")
      ->check(CLI::IsMember({"true", "false"}));
}

void add_common(CLI::App* cmd, CommonOptions& o, bool with_target) {
  cmd->add_option("files", o.inputs,
                  "Release spec files (Iter8 values or kind: Release documents), directories "
                  "(every *.yaml/*.yml below them), or - for stdin. Default: stdin when it is "
                  "not a terminal.");
  if (with_target) {
    cmd->add_option("-t,--target", o.target,
                    "Mesh API to emit: gateway-api[@v1|@v1beta1], istio[@v1|@v1beta1|@v1alpha3], "
                    "smi[@v1alpha2|@v1alpha1|@v1alpha3|@v1alpha4]. Default: chosen by each "
                    "spec's environment.")
        ->check(kNonEmpty);
    add_routing_options(cmd, o.routing);
  }
  cmd->add_option("--name", o.name,
                  "Default application name when the spec gives none (Helm's release name).")
      ->check(kNonEmpty);
  cmd->add_option("-n,--namespace", o.namespace_,
                  "Default namespace when the spec gives none (Helm's release namespace); "
                  "otherwise \"default\".")
      ->check(kNonEmpty);
  cmd->add_option("--diagnostics-format", o.diagnostics_format,
                  "How errors are printed on stderr: text (file:line:col: error: ...) or json.")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--caret", o.caret,
                  "Show the source line and a caret under each error: auto (when stderr is a "
                  "terminal), always, never.")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--warnings-as-errors", o.werror, "Fail (exit 1) when there are warnings.");
  cmd->add_option("--max-input-bytes", o.limits.max_input_bytes,
                  "Largest input file or stdin stream accepted (default 64 MiB).");
}

void add_check_against(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("--check-against", o.check_against,
                  "Validate every emitted object against the CustomResourceDefinitions in DIR "
                  "(every *.yaml/*.yml below it, e.g. the CRDs your cluster has): unknown "
                  "fields, types, limits, metadata; an API the directory lacks is an error.")
      ->type_name("DIR")
      ->check(kNonEmpty);
}

PrintOptions print_options(const CommonOptions& o) {
  PrintOptions p;
  p.format = o.diagnostics_format == "json" ? DiagnosticFormat::kJson : DiagnosticFormat::kText;
  p.show_source = o.caret == "always" || (o.caret == "auto" && isatty(STDERR_FILENO));
  return p;
}

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "meshc: error: %s\nRun 'meshc --help' for usage.\n", msg.c_str());
  return kExitUsage;
}

// Shared front half of compile, validate and routemap. Returns the exit code to use, or -1
// to continue with `releases`.
// With o.keep_going, returns -1 even after errors and says in `failures` what failed.
int run_frontend(const CommonOptions& o, Driver::Stage stage, std::unique_ptr<Driver>& driver,
                 std::vector<CompiledRelease>& releases, Failures* failures = nullptr) {
  std::optional<TargetChoice> target;
  if (!o.target.empty()) {
    std::string err;
    target = parse_target(o.target, &err);
    if (!target) return usage_error(err);
  }
  for (const auto& [value, what] : {std::pair{o.name, "--name"}, {o.namespace_, "--namespace"}}) {
    if (value.empty()) continue;
    std::string why = check_dns_label(value, std::string(what) == "--name");
    if (!why.empty()) return usage_error(std::string(what) + " " + quote(value) + ": " + why);
  }
  for (const auto& [value, what] :
       {std::pair{o.routing.implementation, "--implementation"},
        {o.routing.gateway_implementation, "--gateway-implementation"}}) {
    std::string err;
    if (!value.empty() && !check_implementation_option(what, value, &err)) return usage_error(err);
  }
  std::vector<std::string> inputs = o.inputs;
  if (inputs.empty()) {
    if (isatty(STDIN_FILENO)) return usage_error("no input files (give files, or - for stdin)");
    inputs.push_back("-");
  }
  driver =
      std::make_unique<Driver>(o.limits, ReleaseDefaults{o.name, o.namespace_, o.routing}, target);
  driver->render_as_compiled();  // compile only ever writes the text (kCompile only)
  if (!o.check_against.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(o.check_against, ec)) {
      return usage_error("--check-against " + quote(o.check_against) +
                         ": expected a directory of CRD files");
    }
    // Loaded once per run, for every release; the driver keeps the files its errors name.
    std::shared_ptr<const CrdSet> crds = CrdSet::load(o.check_against, driver->sink());
    driver->set_crd_check(crds);
    if (driver->sink().has_errors()) {
      print_diagnostics(driver->sink().all(), print_options(o), stderr);
      return kExitInvalid;
    }
  }
  // Every input is read and compiled even when another failed: one run reports everything.
  for (const auto& in : inputs) driver->add_input(in);
  size_t unlocated_input_errors = 0;  // "cannot open ...": the input yields no release
  for (const auto& d : driver->sink().all()) unlocated_input_errors += !d.loc.valid();
  releases = driver->run(stage);
  DiagnosticSink& sink = driver->sink();
  Failures f;
  size_t unlocated = 0;
  for (const auto& d : sink.all()) {
    if (d.severity != Severity::kError && !(o.werror && d.severity == Severity::kWarning)) continue;
    f.any = true;
    if (d.loc.valid())
      f.files.insert(d.loc.file);
    else
      ++unlocated;
  }
  f.all = unlocated > unlocated_input_errors;
  if (!sink.all().empty()) print_diagnostics(sink.all(), print_options(o), stderr);
  if (failures) *failures = f;
  return f.any && !o.keep_going ? kExitInvalid : -1;
}

// `meshc targets --implementations`: one line per implementation, tab-separated.
std::string implementations_text() {
  std::string text;
  for (const Target* t : all_targets()) {
    for (const ImplementationInfo& i : t->info().implementations) {
      text += t->info().name + "\t" + i.alias + "\t" + i.name + "\t" + i.summary + "\n";
    }
  }
  return text;
}

// `meshc targets --format markdown`: docs/capabilities.md.
std::string capabilities_markdown() {
  std::string md =
      "# What each target and implementation can express\n\n"
      "Generated by `meshc targets --format markdown` from the targets' capability data and the "
      "Gateway API\nconformance data in `targets/gateway_api/profiles/`; a test keeps it up to "
      "date. What a target\ncannot express is a located error naming the target and the "
      "feature ([targets.md](targets.md)).\n\n## Targets\n\n| target |";
  std::string rule = "|---|";
  for (const CapabilityField& f : capability_fields()) md += std::string(" ") + f.name + " |";
  for (size_t i = 0; i < capability_fields().size(); ++i) rule += "---|";
  md += "\n" + rule + "\n";
  for (const Target* t : all_targets()) {
    for (const ApiVersion& v : t->info().api_versions) {
      md += "| `" + t->info().name + "@" + v.name + "` |";
      for (const CapabilityField& f : capability_fields()) {
        md += v.caps.*f.member ? " yes |" : " no |";
      }
      md += "\n";
    }
  }
  for (const Target* t : all_targets()) {
    const TargetInfo& info = t->info();
    if (info.implementations.empty()) continue;
    md += "\n## Implementations of " + info.name +
          "\n\nWhat `implementation` / `gatewayImplementation` (or --implementation, "
          "--gateway-implementation)\nlet a route use, as meshc judges it "
          "([targets.md](targets.md#implementations)). Each cell is the\nverdict on the route "
          "attached to the Service (mesh) and on the route attached to the gateway,\nas `mesh / "
          "gateway`: **yes** (accepted), **no** (a located error), **warn** (accepted with a\n"
          "warning: implementation-specific in Gateway API, or declared where no conformance test "
          "checked\nit), **-** (the report has no such profile: a route of that kind cannot be "
          "served).\n\n| alias | organization/project | report |";
    std::string irule = "|---|---|---|";
    for (const std::string& c : info.implementation_columns) md += " " + c + " |", irule += "---|";
    md += "\n" + irule + "\n";
    for (const ImplementationInfo& i : info.implementations) {
      md += "| `" + i.alias + "` | " + i.name + " | " + i.summary + " |";
      for (const std::string& c : i.cells) md += " " + c + " |";
      md += "\n";
    }
  }
  return md;
}

int finish_stdout(const std::string& text) {
  return write_stdout_or_report(text) ? kExitOk : kExitInvalid;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe is an error we report (exit 1), not a silent death by signal.
  std::signal(SIGPIPE, SIG_IGN);
  init_output_safety();  // before any file is opened (output.h)

  CLI::App app{
      "meshc compiles a release spec (the versions of an app, which requests each candidate "
      "gets, the weights and a strategy) into Kubernetes objects: the versions' Deployments "
      "and Services plus the routing of your mesh (Gateway API HTTPRoute, Istio "
      "DestinationRule + VirtualService, or SMI TrafficSplit). Output is validated before it "
      "reaches a cluster and identical for the same input.",
      "meshc"};
  app.set_version_flag("-V,--version", std::string("meshc ") + MESHC_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  meshc compile examples/canary-gateway-api.yaml       compile to stdout\n"
      "  meshc compile spec.yaml --target istio -o out/        one file per release in out/\n"
      "  meshc validate specs/                                 check every spec, print errors\n"
      "  meshc routemap spec.yaml                              show what meshc understood\n"
      "\n"
      "Exit status: 0 success, 1 invalid input (errors on stderr as file:line:col: error: ...),\n"
      "2 usage error. Nothing is written to stdout or files unless the whole run succeeded\n"
      "(compile --keep-going -o DIR/ writes the files of the inputs without errors).\n"
      "Limits and what meshc promises on failure: docs/limits.md.");

  CommonOptions compile_opts, validate_opts, routemap_opts, post_render_opts, krm_opts;
  std::string out_path;
  bool check_only = false;

  auto* compile = app.add_subcommand(
      "compile", "Compile release specs to Kubernetes objects (stdout, or -o FILE|DIR/).");
  // Each subcommand's options are registered when CLI11 meets the subcommand, before it parses
  // the subcommand's arguments (preparse_callback): registering every option of every
  // subcommand up front was a sixth of a single compile. Parsing and help are unchanged.
  compile->preparse_callback([&, compile](std::size_t) {
    add_common(compile, compile_opts, true);
    add_check_against(compile, compile_opts);
    compile
        ->add_option("-o,--output", out_path,
                     "Write to FILE instead of stdout, or, when the path ends in '/' or is a "
                     "directory, one file per release named <namespace>.<app>.yaml. Files are "
                     "replaced atomically.")
        ->check(kNonEmpty);
    compile->add_flag("--keep-going", compile_opts.keep_going,
                      "With -o DIR/: write the releases of every input file without errors, leave "
                      "the others' files untouched, still exit 1 when anything failed. Without "
                      "it a run writes all or nothing.");
    compile->add_flag(
        "--check", check_only,
        "With -o: write nothing; compare the files -o would write with the ones there "
        "and, when any differs or is missing, print a unified diff on stderr and exit "
        "1 (stale generated manifests).");
  });

  auto* validate = app.add_subcommand(
      "validate", "Check release specs (schema and semantics) without emitting; exit 0 or 1.");
  validate->preparse_callback([&, validate](std::size_t) {
    add_common(validate, validate_opts, true);
    add_check_against(validate, validate_opts);
  });

  auto* routemap = app.add_subcommand(
      "routemap", "Print the routemap, meshc's mesh-neutral reading of each spec, as YAML.");
  routemap->preparse_callback(
      [&, routemap](std::size_t) { add_common(routemap, routemap_opts, true); });

  auto* post_render = app.add_subcommand(
      "post-render",
      "Helm post-renderer: read rendered manifests on stdin, replace every kind: Release "
      "(meshc.dev) document by its compiled objects, pass every other document through byte for "
      "byte.");
  post_render->preparse_callback([&, post_render](std::size_t) {
    add_common(post_render, post_render_opts, true);
    post_render->remove_option(post_render->get_option("files"));
    add_check_against(post_render, post_render_opts);
  });

  auto* krm = app.add_subcommand(
      "krm",
      "KRM function (kustomize, kpt): read a ResourceList on stdin, replace every Release item "
      "(and compile a Release functionConfig) by its objects, write the ResourceList with "
      "results.");
  krm->preparse_callback([&, krm](std::size_t) {
    add_common(krm, krm_opts, true);
    krm->remove_option(krm->get_option("files"));
    add_check_against(krm, krm_opts);
  });

  auto* targets = app.add_subcommand("targets", "List the targets and their API versions.");
  bool list_implementations = false;
  std::string targets_format = "text";
  targets->add_flag("--implementations", list_implementations,
                    "List instead the implementations --implementation can name, per target: "
                    "alias, organization/project, and their latest conformance report.");
  targets
      ->add_option("--format", targets_format,
                   "text (one line each, tab-separated), or markdown: the tables of what each "
                   "target@version and each implementation can express (docs/capabilities.md).")
      ->check(CLI::IsMember({"text", "markdown"}));
  auto* schema = app.add_subcommand(
      "schema", "Print the JSON Schema of the release spec (or its field reference as Markdown).");
  std::string schema_format = "json";
  schema
      ->add_option("--format", schema_format,
                   "json (the schema itself), markdown, or helm (charts/release/"
                   "values.schema.json: the values form, KServe environments left to meshc).")
      ->check(CLI::IsMember({"json", "markdown", "helm"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e);  // --help, --version
      return kExitOk;
    }
    std::fprintf(stderr, "meshc: error: %s\nRun 'meshc --help' for usage.\n", e.what());
    return kExitUsage;
  }

  // Never freed: the process ends right after the run, and destroying the trees of a large
  // batch one by one took a third of its time. Still reachable, so leak checkers stay quiet.
  static auto* const kept_driver = new std::unique_ptr<Driver>();
  static auto* const kept_releases = new std::vector<CompiledRelease>();
  std::unique_ptr<Driver>& driver = *kept_driver;
  std::vector<CompiledRelease>& releases = *kept_releases;

  if (*targets && targets_format == "markdown") return finish_stdout(capabilities_markdown());
  if (*targets && list_implementations) return finish_stdout(implementations_text());
  if (*targets) {
    std::string text;
    for (const Target* t : all_targets()) {
      const TargetInfo& info = t->info();
      text += info.name + "\t";
      for (size_t i = 0; i < info.api_versions.size(); ++i) {
        text += (i ? ", " : "") + info.api_versions[i].name + (i == 0 ? " (default)" : "");
      }
      text += "\t" + info.description + "\n";
    }
    return finish_stdout(text);
  }
  if (*schema) {
    return finish_stdout(schema_format == "json"   ? SchemaValidator::schema_text()
                         : schema_format == "helm" ? helm_values_schema()
                                                   : schema_markdown());
  }
  if (*post_render || *krm) {
    const CommonOptions& o = *post_render ? post_render_opts : krm_opts;
    StreamCommandOptions so{o.target, o.name,           o.namespace_, o.werror,
                            o.limits, print_options(o), nullptr,      o.routing};
    if (!o.check_against.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_directory(o.check_against, ec)) {
        return usage_error("--check-against " + quote(o.check_against) +
                           ": expected a directory of CRD files");
      }
      DiagnosticSink sink;
      so.crds = CrdSet::load(o.check_against, sink);  // owns the files `sink` may name
      if (sink.has_errors()) {
        print_diagnostics(sink.all(), so.print, stderr);
        return kExitInvalid;
      }
    }
    return *post_render ? run_post_render(so) : run_krm(so);
  }

  if (*validate) {
    int rc = run_frontend(validate_opts, Driver::Stage::kValidate, driver, releases);
    return rc >= 0 ? rc : kExitOk;
  }
  if (*routemap) {
    int rc = run_frontend(routemap_opts, Driver::Stage::kRoutemap, driver, releases);
    if (rc >= 0) return rc;
    std::string text;
    for (const auto& r : releases) {
      const Target* env = find_target_for_environment(r.routemap.environment);
      write_yaml_document(routemap_to_object(r.routemap, env ? env->info().name : ""), text);
    }
    return finish_stdout(text);
  }
  if (*compile) {
    if (check_only && out_path.empty()) return usage_error("--check needs -o FILE|DIR/");
    namespace fs = std::filesystem;
    std::error_code ec;
    bool dir_mode = !out_path.empty() && (out_path.back() == '/' || fs::is_directory(out_path, ec));
    if (compile_opts.keep_going && (!dir_mode || check_only)) {
      return usage_error("--keep-going needs -o DIR/ (stdout and -o FILE are all or nothing)");
    }
    Failures failures;
    int rc = run_frontend(compile_opts, Driver::Stage::kCompile, driver, releases, &failures);
    if (rc >= 0) return rc;
    if (failures.any) {
      // --keep-going: only releases of input files without any error are written.
      if (failures.all) releases.clear();
      releases.erase(std::remove_if(releases.begin(), releases.end(),
                                    [&](const CompiledRelease& r) {
                                      return failures.files.count(r.routemap.loc.file) > 0;
                                    }),
                     releases.end());
    }
    int ok_status = failures.any ? kExitInvalid : kExitOk;
    if (out_path.empty()) return finish_stdout(render_objects(releases));
    std::vector<std::pair<std::string, std::string>> files;
    if (dir_mode) {
      std::string dir = out_path.back() == '/' ? out_path : out_path + "/";
      // One file per release: two releases with the same namespace and name would overwrite
      // each other, so both are an error (with --keep-going, neither is written).
      std::map<std::string, const CompiledRelease*> by_file;
      std::set<std::string> clashes;
      DiagnosticSink clash;
      for (const auto& r : releases) {
        std::string file = dir + r.routemap.namespace_ + "." + r.routemap.name + ".yaml";
        auto [it, fresh] = by_file.emplace(file, &r);
        if (fresh) continue;
        clashes.insert(file);
        clash.error(r.routemap.loc, "",
                    "release " + r.routemap.namespace_ + "/" + r.routemap.name +
                        " is also defined at " + it->second->routemap.loc.str() +
                        "; both would be written to " + file);
      }
      if (clash.has_errors()) {
        print_diagnostics(clash.all(), print_options(compile_opts), stderr);
        if (!compile_opts.keep_going) return kExitInvalid;
        ok_status = kExitInvalid;
      }
      for (const auto& [file, r] : by_file) {
        if (clashes.count(file)) continue;
        files.emplace_back(file, render_release(*r));
      }
    } else {
      files.emplace_back(out_path, render_objects(releases));
    }
    if (check_only) {
      std::string diff;
      if (files_up_to_date(files, &diff)) return kExitOk;
      std::fprintf(stderr,
                   "meshc: error: generated manifests in %s are stale: they differ from what "
                   "the specs compile to (rerun the same command without --check to update "
                   "them)\n%s",
                   out_path.c_str(), diff.c_str());
      return kExitInvalid;
    }
    std::string err;
    if (!write_files_atomically(files, &err)) {
      std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
      return kExitInvalid;
    }
    return ok_status;
  }
  return kExitUsage;
}
