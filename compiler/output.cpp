#include "compiler/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace meshc {

namespace fs = std::filesystem;

static bool write_all(int fd, const std::string& text, std::string* error, const std::string& what) {
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

static mode_t current_umask() {
  mode_t m = ::umask(0);
  ::umask(m);
  return m;
}

bool write_stdout(const std::string& text, std::string* error) {
  std::fflush(stdout);
  return write_all(STDOUT_FILENO, text, error, "to stdout");
}

bool write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files,
                            std::string* error) {
  std::vector<std::pair<std::string, std::string>> staged;  // temp, final
  auto cleanup = [&] {
    for (const auto& [tmp, final_path] : staged) ::unlink(tmp.c_str());
  };
  for (const auto& [path, text] : files) {
    fs::path p(path);
    std::error_code ec;
    if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
    if (ec) {
      *error = "cannot create directory " + p.parent_path().string() + ": " + ec.message();
      cleanup();
      return false;
    }
    std::string tmpl = (p.has_parent_path() ? p.parent_path().string() + "/" : std::string()) +
                       "." + p.filename().string() + ".meshc-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = ::mkstemp(buf.data());
    if (fd < 0) {
      *error = "cannot write " + path + ": " + std::strerror(errno);
      cleanup();
      return false;
    }
    std::string tmp(buf.data());
    staged.emplace_back(tmp, path);
    bool ok = write_all(fd, text, error, path);
    if (ok && ::fsync(fd) != 0 && errno != EINVAL) {
      *error = "cannot write " + path + ": " + std::strerror(errno);
      ok = false;
    }
    ::fchmod(fd, 0666 & ~current_umask());  // mkstemp makes 0600; match a normal file
    if (::close(fd) != 0 && ok) {
      *error = "cannot write " + path + ": " + std::strerror(errno);
      ok = false;
    }
    if (!ok) {
      cleanup();
      return false;
    }
  }
  for (const auto& [tmp, final_path] : staged) {
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
      *error = "cannot write " + final_path + ": " + std::strerror(errno);
      cleanup();
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
