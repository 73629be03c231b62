#include "compiler/io/replace_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

namespace meshc {

namespace {

std::string why(const std::string& what) {
  return what + ": " + strerror(errno);
}

bool read_all(int fd, std::string* out) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) return true;
    out->append(buf, static_cast<size_t>(n));
  }
}

bool same_time(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// The temporary file being written, removed by the handler of a signal that ends meshc
// (SIGINT, SIGTERM, SIGHUP, SIGQUIT) before it dies; mkostemp fills in this very buffer.
char g_temp[PATH_MAX + 1];
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void remove_temp_and_die(int sig) {
  if (g_temp[0]) unlink(g_temp);
  raise(sig);  // SA_RESETHAND restored the default action; SA_NODEFER delivers it now
}

class TempCleanup {
 public:
  TempCleanup() {
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_die;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < 4; ++i) sigaction(kCleanupSignals[i], &sa, &old_[i]);
  }
  ~TempCleanup() {
    for (size_t i = 0; i < 4; ++i) sigaction(kCleanupSignals[i], &old_[i], nullptr);
    g_temp[0] = 0;
  }

 private:
  struct sigaction old_[4]{};
};

}  // namespace

bool snapshot_file(const std::string& path, FileSnapshot* snap, std::string* error) {
  std::unique_ptr<char, decltype(&free)> real(realpath(path.c_str(), nullptr), &free);
  if (!real) {
    *error = why("cannot read " + path);
    return false;
  }
  snap->path = real.get();
  int fd = open(snap->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = why("cannot read " + path);
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    *error = "cannot edit " + path + ": not a regular file";
    return false;
  }
  snap->text.clear();
  bool ok = read_all(fd, &snap->text);
  close(fd);
  if (!ok) {
    *error = why("cannot read " + path);
    return false;
  }
  snap->mode = st.st_mode & 07777;
  snap->dev = st.st_dev;
  snap->ino = st.st_ino;
  snap->size = st.st_size;
  snap->mtime = st.st_mtim;
  return true;
}

namespace {

// Writes `text` to the temporary file `fd` (named `tmp`), gives it `mode`, flushes and closes
// it; "" when all went well, else what failed (the file is closed either way).
std::string write_and_close(int fd, std::string_view text, mode_t mode, const std::string& tmp) {
  auto fail = [&](const std::string& message) {
    close(fd);
    return message;
  };
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(why("cannot write " + tmp));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (fchmod(fd, mode) != 0) return fail(why("cannot set the mode of " + tmp));
  if (fsync(fd) != 0) return fail(why("cannot flush " + tmp));
  if (close(fd) != 0) return why("cannot write " + tmp);
  return "";
}

// Whether the file is, now, the file that was read: same inode, size, mtime and bytes.
bool unchanged_since_read(const FileSnapshot& snap) {
  int rfd = open(snap.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (rfd < 0) return false;
  struct stat st;
  std::string now;
  bool same = fstat(rfd, &st) == 0 && st.st_dev == snap.dev && st.st_ino == snap.ino &&
              st.st_size == snap.size && same_time(st.st_mtim, snap.mtime) && read_all(rfd, &now) &&
              now == snap.text;
  close(rfd);
  return same;
}

}  // namespace

bool replace_file_if_unchanged(const FileSnapshot& snap, std::string_view text,
                               std::string* error) {
  // A file the user may not write is not replaced behind their back (the rename would).
  if (access(snap.path.c_str(), W_OK) != 0) {
    *error = why("cannot write " + snap.path);
    return false;
  }
  std::string dir = directory_of(snap.path);
  std::string base = snap.path.substr(snap.path.rfind('/') + 1);
  std::string tmp = dir + "/." + base + ".meshc-XXXXXX";
  if (tmp.size() > PATH_MAX) {
    *error = "cannot edit " + snap.path + ": its path is too long";
    return false;
  }
  TempCleanup cleanup;
  memcpy(g_temp, tmp.c_str(), tmp.size() + 1);
  int fd = mkostemp(g_temp, O_CLOEXEC);
  tmp = g_temp;
  if (fd < 0) {
    g_temp[0] = 0;
    *error = why("cannot write a temporary file in " + dir);
    return false;
  }
  auto fail = [&](const std::string& message) {
    unlink(tmp.c_str());
    *error = message;
    return false;
  };
  if (std::string message = write_and_close(fd, text, snap.mode, tmp); !message.empty())
    return fail(message);

  if (const char* pause = std::getenv("MESHC_TEST_PAUSE_BEFORE_RENAME")) {
    double secs = std::atof(pause);
    if (secs > 0) usleep(static_cast<useconds_t>(secs * 1e6));
  }

  // The file as it is now must be the file that was read.
  if (!unchanged_since_read(snap))
    return fail("refusing to write " + snap.path +
                ": it changed since meshc read it (nothing written; run again)");

  if (rename(tmp.c_str(), snap.path.c_str()) != 0) return fail(why("cannot replace " + snap.path));
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}

}  // namespace meshc
