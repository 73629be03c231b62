#include "compiler/io/input.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compiler/support/large_buffer.h"

namespace meshc {

namespace fs = std::filesystem;

namespace {

constexpr size_t kLargeInput = size_t{1} << 20;  // map (stdin) or reserve at once from here
constexpr size_t kMaxReserve = size_t{1} << 30;

// Reads a regular file's first `size` + 1 bytes (at most limit + 1) straight into `text` with
// one read: a read that stops at the size fstat gave is the file's end, so the read() that
// returns 0 is saved (a spec directory of 10,000 files made 20,000 reads). Returns the bytes
// read; fewer than `size` only after an error. Whether more follows is for read_fd to see.
size_t read_known_size(int fd, size_t size, size_t limit, std::string* text, int* error) {
  const size_t want = std::min(size, limit) + 1;
  reserve_large(*text, want);
  text->resize(want);
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd, &(*text)[got], want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) *error = errno;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
    if (got >= size && got < want) break;  // the file ends where fstat said it does
  }
  text->resize(got);
  return got;
}

// read_fd() for a stream, or a file read past the size fstat gave (`reserved`: `text` has its
// room already). Not inlined: its 64 KiB buffer would otherwise be the frame of every read,
// and the first call below it would touch a fresh page of stack 64 KiB down.
[[gnu::noinline]] bool read_stream(int fd, size_t limit, bool reserved, std::string* text,
                                   int* error) {
  char buf[1 << 16];
  for (;;) {
    if (!reserved && text->size() >= kLargeInput) {
      reserve_large(*text, std::min(limit, kMaxReserve) + 1);
      reserved = true;
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno;
      return true;
    }
    text->append(buf, static_cast<size_t>(n));
    if (text->size() > limit) return false;
  }
}

// Reads `fd` to its end into `text`, or stops once more than `limit` bytes were read (then
// false, and `text` holds at least limit + 1 bytes). `size_hint` is a regular file's size, or 0.
bool read_fd(int fd, size_t limit, size_t size_hint, std::string* text, int* error) {
  if (size_hint == 0) return read_stream(fd, limit, false, text, error);
  size_t got = read_known_size(fd, size_hint, limit, text, error);
  if (*error != 0 || got > limit) return got <= limit;
  // At its size: the end. Past it (the file grew since fstat): read on as any stream.
  if (got <= size_hint) return true;
  return read_stream(fd, limit, true, text, error);
}

ReadInput report_read_error(ReadInput& in, const std::string& path, int error,
                            DiagnosticSink& sink) {
  sink.error(Location{}, "",
             "cannot read " + (path == "-" ? std::string("stdin") : quote(path)) + ": " +
                 std::strerror(error));
  return std::move(in);
}

// Reports an input over the limit at its first byte past it.
ReadInput finish_read(ReadInput& in, size_t limit, DiagnosticSink& sink) {
  if (!in.complete) {
    Location at{in.source.get(), 0, 0};
    in.source->position_of(limit, &at.line, &at.col);
    sink.error(at, "",
               "input is larger than the limit of " + std::to_string(limit) +
                   " bytes (--max-input-bytes); it is not read past this point");
  }
  return std::move(in);
}

}  // namespace

ReadInput read_input(const std::string& path, size_t limit, DiagnosticSink& sink,
                     const std::function<void(const char* data, size_t size)>& on_read) {
  ReadInput in;
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? "<stdin>" : path;
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    sink.error(Location{}, "", "cannot open " + quote(path) + ": " + std::strerror(errno));
    return in;
  }
  struct stat st {};
  bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (!is_stdin) in.device = st.st_dev, in.inode = st.st_ino, in.regular = regular;
  size_t size = regular && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  // A large file on stdin, read from its start (a shell redirect), is mapped.
  if (is_stdin && regular && size >= kLargeInput && size <= limit &&
      ::lseek(fd, 0, SEEK_CUR) == 0) {
    if (const char* data = map_file_readonly(fd, size, "<stdin>")) {
      in.source = std::make_unique<SourceFile>(name, data, size);
      return in;
    }
  }
  int error = 0;
  // A pipe (Helm's post-renderer stream) is read in place: no copy out of a read buffer.
  if (is_stdin && !regular && limit < kMaxReserve) {
    size_t got = 0;
    const char* data = read_stream_mapped(fd, limit, &got, &error, on_read);
    if (error != 0) {
      if (data) unmap_file(data, got);
      return report_read_error(in, path, error, sink);
    }
    if (data) {
      in.complete = got <= limit;
      in.source = std::make_unique<SourceFile>(name, data, got);
      return finish_read(in, limit, sink);
    }
  }
  std::string text;
  in.complete = read_fd(fd, limit, size, &text, &error);
  if (!is_stdin) ::close(fd);
  if (error != 0) return report_read_error(in, path, error, sink);
  if (!in.complete) text.resize(limit + 1);
  in.source = std::make_unique<SourceFile>(name, std::move(text));
  return finish_read(in, limit, sink);
}

namespace {

// The glob of `walk.exclude` that leaves out `relative` (a path below the walked directory),
// or null.
const std::string* excluded_by(const WalkOptions& walk, const fs::path& relative) {
  const std::string rel = relative.generic_string();
  const std::string name = relative.filename().string();
  for (const std::string& glob : walk.exclude) {
    if (::fnmatch(glob.c_str(), rel.c_str(), 0) == 0 ||
        ::fnmatch(glob.c_str(), name.c_str(), 0) == 0)
      return &glob;
  }
  return nullptr;
}

}  // namespace

bool expand_input(const std::string& path, const WalkOptions& walk, std::vector<InputFile>* files,
                  std::vector<std::string>* skipped, DiagnosticSink& sink) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) {
    files->push_back(InputFile{path, false});
    return true;
  }
  std::vector<std::string> found;
  std::vector<std::string> left_out;
  const fs::path root(path);
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code entry_ec;  // a dangling link is neither a directory nor a file, not an error
    const bool dir = it->is_directory(entry_ec);
    const std::string shown = p.string() + (dir ? "/" : "");
    const std::string* glob = nullptr;
    if (p.filename().string().rfind('.', 0) == 0) {
      left_out.push_back(shown + ": hidden");
    } else if ((glob = excluded_by(walk, p.lexically_relative(root))) != nullptr) {
      left_out.push_back(shown + ": --exclude " + *glob);
    } else {
      if (!it->is_regular_file(entry_ec)) continue;
      std::string ext = p.extension().string();
      if (ext == ".yaml" || ext == ".yml") found.push_back(p.string());
      continue;
    }
    if (dir) it.disable_recursion_pending();
  }
  if (ec) {
    sink.error(Location{}, "", "cannot read directory " + quote(path) + ": " + ec.message());
    return false;
  }
  std::sort(left_out.begin(), left_out.end());
  if (skipped) skipped->insert(skipped->end(), left_out.begin(), left_out.end());
  if (found.empty()) {
    sink.error(Location{}, "",
               "no *.yaml or *.yml files in directory " + quote(path) +
                   (left_out.empty() ? "" : " (hidden and excluded entries left out)"));
    return false;
  }
  std::sort(found.begin(), found.end());
  for (std::string& f : found) files->push_back(InputFile{std::move(f), true});
  return true;
}

bool expand_input(const std::string& path, std::vector<std::string>* files, DiagnosticSink& sink) {
  std::vector<InputFile> found;
  if (!expand_input(path, WalkOptions{}, &found, nullptr, sink)) return false;
  for (InputFile& f : found) files->push_back(std::move(f.path));
  return true;
}

}  // namespace meshc
