#include "compiler/output.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

namespace meshc {

namespace fs = std::filesystem;

namespace {

bool g_stdout_was_closed = false;

bool write_all(int fd, const std::string& text, std::string* error, const std::string& what) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = "cannot write " + what + ": " + std::strerror(errno);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

mode_t current_umask() {
  mode_t m = ::umask(0);
  ::umask(m);
  return m;
}

// Temporary files of the write in progress, removed by the signal handler. The vector's
// capacity is reserved before the handler is installed, so adding a path never reallocates;
// g_temp_count is raised only once a path is complete.
std::vector<std::string>* g_temps = nullptr;
volatile sig_atomic_t g_temp_count = 0;
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void remove_temps_and_die(int sig) {
  for (sig_atomic_t i = 0; i < g_temp_count; ++i) ::unlink((*g_temps)[i].c_str());
  // SA_RESETHAND restored the default action; SA_NODEFER lets it be delivered now.
  ::raise(sig);
}

// Installs the cleanup handler for the lifetime of one write, and removes what is left.
class TempGuard {
 public:
  explicit TempGuard(size_t n) {
    temps_.reserve(n);
    g_temps = &temps_;
    g_temp_count = 0;
    struct sigaction sa {};
    sa.sa_handler = remove_temps_and_die;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i) {
      ::sigaction(kCleanupSignals[i], &sa, &old_[i]);
    }
  }
  ~TempGuard() {
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i) {
      ::sigaction(kCleanupSignals[i], &old_[i], nullptr);
    }
    g_temp_count = 0;
    g_temps = nullptr;
  }
  void add(const std::string& path) {
    temps_.push_back(path);
    g_temp_count = static_cast<sig_atomic_t>(temps_.size());
  }
  // Removes every temporary not renamed yet (a renamed one no longer exists: ENOENT).
  void remove_all() {
    for (const auto& t : temps_) ::unlink(t.c_str());
  }

 private:
  std::vector<std::string> temps_;
  struct sigaction old_[std::size(kCleanupSignals)]{};
};

// Follows symlinks from `path` to the file a write should replace (which need not exist).
bool resolve_links(const std::string& path, std::string* out, std::string* error) {
  std::string cur = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(cur.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
      *out = cur;
      return true;
    }
    std::vector<char> buf(static_cast<size_t>(st.st_size > 0 ? st.st_size : 255) + 1);
    ssize_t n = ::readlink(cur.c_str(), buf.data(), buf.size());
    if (n < 0) {
      *error = "cannot write " + path + ": " + std::strerror(errno);
      return false;
    }
    std::string target(buf.data(), static_cast<size_t>(n));
    fs::path parent = fs::path(cur).parent_path();
    cur = target.front() == '/' || parent.empty() ? target : (parent / target).string();
  }
  *error = "cannot write " + path + ": " + std::strerror(ELOOP);
  return false;
}

bool fsync_directory(const std::string& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0 || errno == EINVAL || errno == EROFS;
  ::close(fd);
  return ok;
}

bool is_special_path(const std::string& p) {
  return p.rfind("/dev/", 0) == 0 || p.rfind("/proc/", 0) == 0;
}

// fsync of every file in `fds`, several at a time: concurrent fsyncs on one file system share
// a journal commit, where one after the other each waits for its own (4 to 9 ms apiece on the
// machine of docs/benchmarks.md: over a minute for a batch of 10,000 releases). Returns, per
// fd, 0 or the errno of its fsync (EINVAL, a file that cannot be synced, counts as success).
std::vector<int> fsync_concurrently(const std::vector<int>& fds) {
  std::vector<int> errors(fds.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < fds.size();) {
      if (::fsync(fds[i]) != 0 && errno != EINVAL) errors[i] = errno;
    }
  };
  size_t threads = std::min<size_t>(fds.size(), 32);
  std::vector<std::thread> pool;
  try {
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads (RLIMIT_NPROC ...): the ones there, and this one, do all the work.
  }
  work();
  for (auto& t : pool) t.join();
  return errors;
}

}  // namespace

void init_output_safety() {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int null_fd = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (null_fd >= 0 && null_fd != fd) {
      ::dup2(null_fd, fd);
      ::close(null_fd);
    }
    if (fd == STDOUT_FILENO) g_stdout_was_closed = true;
  }
}

bool write_stdout(const std::string& text, std::string* error) {
  if (g_stdout_was_closed) {
    *error = std::string("cannot write to stdout: ") + std::strerror(EBADF);
    return false;
  }
  std::fflush(stdout);
  return write_all(STDOUT_FILENO, text, error, "to stdout");
}

bool write_stdout(const std::vector<std::string_view>& pieces, std::string* error) {
  if (g_stdout_was_closed) {
    *error = std::string("cannot write to stdout: ") + std::strerror(EBADF);
    return false;
  }
  std::fflush(stdout);
  std::vector<struct iovec> iov;
  iov.reserve(pieces.size());
  for (std::string_view p : pieces) {
    if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
  }
  // writev takes at most IOV_MAX pieces and may write fewer bytes than asked: go on from
  // wherever it stopped.
  size_t first = 0;
  while (first < iov.size()) {
    int count = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
    ssize_t n = ::writev(STDOUT_FILENO, iov.data() + first, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::string("cannot write to stdout: ") + std::strerror(errno);
      return false;
    }
    size_t left = static_cast<size_t>(n);
    while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (left > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return true;
}

bool write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files,
                            std::string* error) {
  struct Staged {
    std::string tmp, target;
  };
  struct Direct {
    std::string path;
    const std::string* text;
  };
  std::vector<Staged> staged;
  std::vector<Direct> direct;
  TempGuard guard(files.size());
  // Temporaries written but not yet flushed and closed: fd and the path errors name. They are
  // flushed together (fsync_concurrently) in groups small enough to stay open.
  constexpr size_t kFlushGroup = 256;
  std::vector<std::pair<int, const std::string*>> unflushed;
  auto fail = [&](std::string msg) {
    *error = std::move(msg);
    for (const auto& u : unflushed) ::close(u.first);
    unflushed.clear();
    guard.remove_all();
    return false;
  };
  // Flushes and closes the unflushed temporaries; false (via fail) naming the first in order
  // that could not be flushed or closed.
  auto flush = [&] {
    std::vector<int> fds;
    for (const auto& u : unflushed) fds.push_back(u.first);
    std::vector<int> errors = fsync_concurrently(fds);
    std::string werr;
    for (size_t i = 0; i < unflushed.size(); ++i) {
      int close_err = ::close(unflushed[i].first) != 0 ? errno : 0;
      int err = errors[i] ? errors[i] : close_err;
      if (err && werr.empty()) {
        werr = "cannot write " + *unflushed[i].second + ": " + std::strerror(err);
      }
    }
    unflushed.clear();
    return werr.empty() || fail(werr);
  };
  for (const auto& [path, text] : files) {
    std::string target;
    if (!resolve_links(path, &target, error)) return fail(*error);
    struct stat st {};
    bool exists = ::stat(target.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
      return fail("cannot write " + path + ": " + std::strerror(EISDIR));
    }
    if ((exists && !S_ISREG(st.st_mode)) || is_special_path(target)) {
      direct.push_back(Direct{path, &text});
      continue;
    }
    if (exists && ::access(target.c_str(), W_OK) != 0) {
      return fail("cannot write " + path + ": " + std::strerror(errno));
    }
    mode_t mode = exists ? (st.st_mode & 07777) : (0666 & ~current_umask());
    fs::path p(target);
    std::error_code ec;
    if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
    if (ec) {
      return fail("cannot create directory " + p.parent_path().string() + ": " + ec.message());
    }
    std::string tmpl = (p.has_parent_path() ? p.parent_path().string() + "/" : std::string()) +
                       "." + p.filename().string() + ".meshc-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = ::mkostemp(buf.data(), O_CLOEXEC);
    if (fd < 0) return fail("cannot write " + path + ": " + std::strerror(errno));
    guard.add(buf.data());
    staged.push_back(Staged{buf.data(), target});
    std::string werr;
    bool ok = write_all(fd, text, &werr, path);
    if (ok && ::fchmod(fd, mode) != 0) {
      werr = "cannot write " + path + ": " + std::strerror(errno);
      ok = false;
    }
    if (!ok) {
      ::close(fd);
      return fail(werr);
    }
    unflushed.emplace_back(fd, &path);
    if (unflushed.size() == kFlushGroup && !flush()) return false;
  }
  if (!flush()) return false;  // every temporary is on disk before any target is touched
  for (const auto& d : direct) {
    int fd = ::open(d.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fail("cannot write " + d.path + ": " + std::strerror(errno));
    std::string werr;
    bool ok = write_all(fd, *d.text, &werr, d.path);
    if (::close(fd) != 0 && ok) {
      werr = "cannot write " + d.path + ": " + std::strerror(errno);
      ok = false;
    }
    if (!ok) return fail(werr);
  }
  std::set<std::string> dirs;
  for (const auto& s : staged) {
    if (::rename(s.tmp.c_str(), s.target.c_str()) != 0) {
      return fail("cannot write " + s.target + ": " + std::strerror(errno));
    }
    dirs.insert(fs::path(s.target).parent_path().string());
  }
  for (const auto& dir : dirs) {
    if (!fsync_directory(dir)) {
      *error =
          "cannot write " + (dir.empty() ? std::string(".") : dir) + ": " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

bool read_file(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

}  // namespace meshc
