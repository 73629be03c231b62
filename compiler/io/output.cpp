#include "compiler/io/output.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "compiler/support/large_buffer.h"

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
  // Registers a temporary before it is created (create_temp), so that a signal arriving while
  // it is being created still finds it; an unlink of a name not created yet is harmless.
  void add(const std::string& path) {
    temps_.push_back(path);
    g_temp_count = static_cast<sig_atomic_t>(temps_.size());
  }
  // Forgets the last name added: it was not created by us (someone else's file).
  void drop_last() {
    g_temp_count = static_cast<sig_atomic_t>(temps_.size() - 1);
    temps_.pop_back();
  }
  // Removes every temporary not renamed yet (a renamed one no longer exists: ENOENT).
  void remove_all() {
    for (const auto& t : temps_) ::unlink(t.c_str());
  }

 private:
  std::vector<std::string> temps_;
  struct sigaction old_[std::size(kCleanupSignals)]{};
};

// Creates the temporary for `target` beside it, ".<name>.meshc-XXXXXX" (mode 0600), registered
// in `guard` before it exists. Returns the descriptor, or -1 with errno set.
int create_temp(const std::string& dir, const std::string& name, TempGuard& guard,
                std::string* tmp) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::mt19937_64 rng{std::random_device{}()};
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix(6, ' ');
    for (char& c : suffix) c = kChars[rng() % (sizeof kChars - 1)];
    *tmp = (dir.empty() ? std::string() : dir + "/") + "." + name + ".meshc-" + suffix;
    guard.add(*tmp);
    int fd = ::open(tmp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    int err = errno;
    guard.drop_last();
    errno = err;
    if (err != EEXIST) return -1;
  }
  return -1;  // errno EEXIST
}

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

// True when the regular file at `path` holds exactly `text` (the caller checked the size).
bool same_content(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[65536];
  size_t off = 0;
  bool same = true;
  while (same) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      same = n == 0 && off == text.size();
      break;
    }
    same = off + static_cast<size_t>(n) <= text.size() &&
           std::memcmp(buf, text.data() + off, static_cast<size_t>(n)) == 0;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  return same;
}

// Device and process files, written in place; /dev/shm is an ordinary (memory) file system.
bool is_special_path(const std::string& p) {
  return (p.rfind("/dev/", 0) == 0 && p.rfind("/dev/shm/", 0) != 0) || p.rfind("/proc/", 0) == 0;
}

// One write_files_atomically: every file is staged (written to a temporary beside it, or kept
// for an in-place write when it is a device), the temporaries are flushed, then the device files
// are written and the temporaries renamed over their targets. Any failure removes the
// temporaries left and sets the error.
class AtomicWrite {
 public:
  AtomicWrite(size_t n, std::string* error)
      : guard_(n), batch_(n > 1), new_file_mode_(0666 & ~current_umask()), error_(error) {}
  ~AtomicWrite() { close_all(); }

  // Writes `text` for `path` to its temporary; false (cleaned up, error set) when it cannot.
  bool stage(const std::string& path, const std::string& text,
             std::vector<std::string>* unchanged) {
    std::string target;
    if (!resolve_links(path, &target, error_)) return fail(*error_);
    struct stat st {};
    bool exists = ::stat(target.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
      return fail("cannot write " + path + ": " + std::strerror(EISDIR));
    }
    if ((exists && !S_ISREG(st.st_mode)) || is_special_path(target)) {
      direct_.push_back(Direct{path, &text});
      return true;
    }
    if (exists && ::access(target.c_str(), W_OK) != 0) {
      return fail("cannot write " + path + ": " + std::strerror(errno));
    }
    // A file that already holds these bytes is left alone: its modification time stays (make,
    // GitOps tools and editors see no change) and a re-run over a tree of generated manifests
    // creates no file at all.
    if (exists && static_cast<size_t>(st.st_size) == text.size() && same_content(target, text)) {
      if (unchanged) unchanged->push_back(path);
      return true;
    }
    mode_t mode = exists ? (st.st_mode & 07777) : new_file_mode_;
    fs::path p(target);
    std::string dir = p.parent_path().string();
    if (!prepare_directory(dir, path)) return false;
    std::string tmp;
    int fd = create_temp(dir, p.filename().string(), guard_, &tmp);
    if (fd < 0) return fail("cannot write " + path + ": " + std::strerror(errno));
    staged_.push_back(Staged{tmp, target});
    return write_temp(fd, mode, path, text);
  }

  // Flushes the temporaries, writes the device files, renames the temporaries over their
  // targets and flushes their directories. `first_path` names the file of a single write.
  bool commit(const std::string& first_path) {
    if (!flush_temps(first_path)) return false;
    for (const auto& d : direct_) {
      if (!write_in_place(d)) return false;
    }
    std::set<std::string> dirs;
    for (const auto& s : staged_) {
      if (::rename(s.tmp.c_str(), s.target.c_str()) != 0) {
        return fail("cannot write " + s.target + ": " + std::strerror(errno));
      }
      dirs.insert(fs::path(s.target).parent_path().string());
    }
    for (const auto& dir : dirs) {
      if (!fsync_directory(dir)) {
        *error_ =
            "cannot write " + (dir.empty() ? std::string(".") : dir) + ": " + std::strerror(errno);
        return false;
      }
    }
    return true;
  }

 private:
  struct Staged {
    std::string tmp, target;
  };
  struct Direct {
    std::string path;
    const std::string* text;
  };

  void close_all() {
    if (single_fd_ >= 0) ::close(single_fd_);
    single_fd_ = -1;
    for (const auto& [dev, fd] : fs_fds_) ::close(fd);
    fs_fds_.clear();
  }

  bool fail(std::string msg) {
    *error_ = std::move(msg);
    close_all();
    guard_.remove_all();
    return false;
  }

  // A batch writes its files into a few directories (usually one): each is created once, and
  // for a batch a directory on its file system is opened (for the syncfs in flush_temps)
  // before the first temporary there is written, so that the write-back errors syncfs reports
  // include all of them.
  bool prepare_directory(const std::string& dir, const std::string& path) {
    if (prepared_dir_ && dir == *prepared_dir_) return true;
    std::error_code ec;
    if (!dir.empty()) fs::create_directories(dir, ec);
    if (ec) return fail("cannot create directory " + dir + ": " + ec.message());
    if (batch_) {
      struct stat dst {};
      if (::stat(dir.empty() ? "." : dir.c_str(), &dst) != 0) {
        return fail("cannot write " + path + ": " + std::strerror(errno));
      }
      if (!fs_fds_.count(dst.st_dev)) {
        int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) return fail("cannot write " + path + ": " + std::strerror(errno));
        fs_fds_.emplace(dst.st_dev, dfd);
      }
    }
    prepared_dir_ = dir;
    return true;
  }

  // Fills the temporary `fd` and gives it its mode. A batch closes each temporary at once (one
  // syncfs flushes them all); a single file keeps its descriptor for its fsync.
  bool write_temp(int fd, mode_t mode, const std::string& path, const std::string& text) {
    std::string werr;
    bool ok = write_all(fd, text, &werr, path);
    if (ok && ::fchmod(fd, mode) != 0) {
      werr = "cannot write " + path + ": " + std::strerror(errno);
      ok = false;
    }
    if (batch_ || !ok) {
      if (::close(fd) != 0 && ok) {
        werr = "cannot write " + path + ": " + std::strerror(errno);
        ok = false;
      }
    } else {
      single_fd_ = fd;
    }
    return ok || fail(werr);
  }

  // Every temporary is on disk before any target is touched: one file by its own fsync, a
  // batch by one syncfs per file system.
  bool flush_temps(const std::string& first_path) {
    if (single_fd_ >= 0) {
      if (::fsync(single_fd_) != 0 && errno != EINVAL) {
        return fail("cannot write " + first_path + ": " + std::strerror(errno));
      }
      int fd = single_fd_;
      single_fd_ = -1;
      if (::close(fd) != 0) return fail("cannot write " + first_path + ": " + std::strerror(errno));
    }
    for (const auto& [dev, fd] : fs_fds_) {
      if (::syncfs(fd) != 0) {
        return fail(std::string("cannot write the output files: ") + std::strerror(errno));
      }
    }
    close_all();
    return true;
  }

  bool write_in_place(const Direct& d) {
    int fd = ::open(d.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fail("cannot write " + d.path + ": " + std::strerror(errno));
    std::string werr;
    bool ok = write_all(fd, *d.text, &werr, d.path);
    if (::close(fd) != 0 && ok) {
      werr = "cannot write " + d.path + ": " + std::strerror(errno);
      ok = false;
    }
    return ok || fail(werr);
  }

  std::vector<Staged> staged_;
  std::vector<Direct> direct_;
  TempGuard guard_;
  const bool batch_;
  const mode_t new_file_mode_;
  std::string* error_;
  int single_fd_ = -1;
  std::map<dev_t, int> fs_fds_;              // file system -> an open directory on it
  std::optional<std::string> prepared_dir_;  // created, and its file system's fd in fs_fds_
};

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

// Writes the pieces in order with writev; false with `error` set when it cannot.
static bool write_stdout(const std::vector<std::string_view>& pieces, std::string* error) {
  if (g_stdout_was_closed) {
    *error = std::string("cannot write to stdout: ") + std::strerror(EBADF);
    return false;
  }
  std::fflush(stdout);
  std::vector<struct iovec> iov;
  iov.reserve(pieces.size());
  size_t total = 0;
  for (std::string_view p : pieces) {
    if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
    total += p.size();
  }
  // A large output into a pipe (post-render's stream back to Helm) goes in 1 MiB turns rather
  // than 64 KiB ones.
  if (total >= (size_t{1} << 20)) enlarge_pipe(STDOUT_FILENO);
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

bool write_stdout_or_report(const std::vector<std::string_view>& pieces) {
  std::string err;
  if (write_stdout(pieces, &err)) return true;
  std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
  return false;
}

bool write_stdout_or_report(std::string_view text) {
  return write_stdout_or_report(std::vector<std::string_view>{text});
}

bool write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files,
                            std::string* error, std::vector<std::string>* unchanged) {
  AtomicWrite write(files.size(), error);
  for (const auto& [path, text] : files) {
    if (!write.stage(path, text, unchanged)) return false;
  }
  return write.commit(files.empty() ? std::string() : files.front().first);
}

bool remove_files(const std::vector<std::string>& paths, std::string* error) {
  std::set<std::string> dirs;
  for (const std::string& p : paths) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
      *error = "cannot delete " + p + ": " + std::strerror(errno);
      return false;
    }
    dirs.insert(fs::path(p).parent_path().string());
  }
  for (const std::string& d : dirs) fsync_directory(d);
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
