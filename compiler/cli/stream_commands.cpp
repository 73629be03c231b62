#include "compiler/cli/stream_commands.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "compiler/driver/driver.h"
#include "compiler/integrations/krm.h"
#include "compiler/integrations/post_render.h"
#include "compiler/io/output.h"
#include "compiler/k8s/names.h"
#include "compiler/support/large_buffer.h"

namespace meshc {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "meshc: error: %s\nRun 'meshc --help' for usage.\n", msg.c_str());
  return kExitUsage;
}

// Reads all of stdin. False with `error` set when it cannot be read or exceeds `limit`.
bool read_stdin(size_t limit, std::string* text, std::string* error) {
  // The text is allocated once, not grown by copying: for a file at its size, for a pipe
  // (Helm's) at the limit once it passes 1 MiB (untouched pages cost nothing).
  constexpr size_t kLargePipe = size_t{1} << 20, kMaxReserve = size_t{1} << 30;
  bool reserved = false;
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    reserve_large(*text, std::min<size_t>(static_cast<size_t>(st.st_size), limit) + 1);
    reserved = true;
  }
  char buf[1 << 16];
  for (;;) {
    if (!reserved && text->size() >= kLargePipe) {
      reserve_large(*text, std::min(limit, kMaxReserve) + 1);
      reserved = true;
    }
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::string("cannot read stdin: ") + std::strerror(errno);
      return false;
    }
    text->append(buf, static_cast<size_t>(n));
    if (text->size() > limit) {
      *error = "<stdin>: input is larger than the limit of " + std::to_string(limit) +
               " bytes (--max-input-bytes)";
      return false;
    }
  }
}

// Reads stdin as a source of `driver`, or null with `error` set. A regular file of 1 MiB or more
// is mapped, not read (map_file_readonly: neither copied nor zero-filled memory); a pipe, as
// Helm gives, is read.
const SourceFile* stdin_source(Driver& driver, size_t limit, std::string* error) {
  constexpr size_t kMapFrom = size_t{1} << 20;
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) >= kMapFrom && static_cast<uint64_t>(st.st_size) <= limit) {
    // Only a file read from its start (a shell redirect); otherwise read from where it stands.
    off_t pos = ::lseek(STDIN_FILENO, 0, SEEK_CUR);
    if (pos == 0) {
      size_t size = static_cast<size_t>(st.st_size);
      if (const char* data = map_file_readonly(STDIN_FILENO, size, "<stdin>")) {
        return &driver.add_source(std::make_unique<SourceFile>("<stdin>", data, size));
      }
    }
  }
  std::string text;
  if (!read_stdin(limit, &text, error)) return nullptr;
  return &driver.add_source("<stdin>", std::move(text));
}

// The driver both commands run, or null after a usage error (already printed; exit 2).
std::unique_ptr<Driver> make_driver(const StreamCommandOptions& o) {
  std::optional<TargetChoice> target;
  if (!o.target.empty()) {
    std::string err;
    target = parse_target(o.target, &err);
    if (!target) {
      usage_error(err);
      return nullptr;
    }
  }
  for (const auto& [value, what] : {std::pair{o.name, "--name"}, {o.namespace_, "--namespace"}}) {
    if (value.empty()) continue;
    std::string why = check_dns_label(value, std::string(what) == "--name");
    if (!why.empty()) {
      usage_error(std::string(what) + " " + quote(value) + ": " + why);
      return nullptr;
    }
  }
  for (const auto& [value, what] :
       {std::pair{o.routing.implementation, "--implementation"},
        {o.routing.gateway_implementation, "--gateway-implementation"}}) {
    std::string err;
    if (!value.empty() && !check_implementation_option(what, value, &err)) {
      usage_error(err);
      return nullptr;
    }
  }
  auto driver =
      std::make_unique<Driver>(o.limits, ReleaseDefaults{o.name, o.namespace_, o.routing}, target);
  if (o.crds) driver->set_crd_check(o.crds);
  return driver;
}

bool failed(const DiagnosticSink& sink, bool warnings_as_errors) {
  bool f = sink.has_errors();
  for (const auto& d : sink.all())
    f = f || (warnings_as_errors && d.severity == Severity::kWarning);
  return f;
}

}  // namespace

int run_post_render(const StreamCommandOptions& o) {
  std::unique_ptr<Driver> driver = make_driver(o);
  if (!driver) return kExitUsage;
  std::string err;
  const SourceFile* stream = stdin_source(*driver, o.limits.max_input_bytes, &err);
  if (!stream) {
    std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
    return kExitInvalid;
  }
  PostRenderPieces out;
  post_render_pieces(*stream, o.limits, *driver, out);
  const DiagnosticSink& sink = driver->sink();
  if (!sink.all().empty()) print_diagnostics(sink.all(), o.print, stderr);
  if (failed(sink, o.warnings_as_errors)) return kExitInvalid;
  return write_stdout_or_report(out.pieces) ? kExitOk : kExitInvalid;
}

int run_krm(const StreamCommandOptions& o) {
  // Checks the options; the function compiles with a driver of its own (see krm.h).
  std::unique_ptr<Driver> owner = make_driver(o);
  if (!owner) return kExitUsage;
  std::string err;
  const SourceFile* read = stdin_source(*owner, o.limits.max_input_bytes, &err);
  const SourceFile& input = read ? *read : owner->add_source("<stdin>", "");
  DiagnosticSink& sink = owner->sink();
  if (!read) sink.error(Location{}, "", err);
  KrmSettings settings;
  settings.limits = o.limits;
  settings.defaults = ReleaseDefaults{o.name, o.namespace_, o.routing};
  settings.target = o.target;
  settings.warnings_as_errors = o.warnings_as_errors;
  settings.configure = [&o](Driver& d) {
    if (o.crds) d.set_crd_check(o.crds);
  };
  bool fn_failed = false;
  std::string out = run_krm_function(input, settings, sink, &fn_failed);
  if (!sink.all().empty()) print_diagnostics(sink.all(), o.print, stderr);
  bool written = write_stdout_or_report(out);
  return fn_failed || !written ? kExitInvalid : kExitOk;
}

}  // namespace meshc
