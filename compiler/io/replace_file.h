// Editing a file in place, safely: meshc promote's write.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace meshc {

// What a file was when it was read: compared again just before it is replaced.
struct FileSnapshot {
  std::string path;  // the file itself (a symlink resolved)
  std::string text;
  mode_t mode = 0;
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  struct timespec mtime = {};
};

// Reads a regular file whole (a symlink is followed). False with `error` when it cannot.
bool snapshot_file(const std::string& path, FileSnapshot* snap, std::string* error);

// Replaces the file of `snap` by `text`: a temporary file in the same directory
// (".<name>.meshc-XXXXXX") with the old file's permission bits, fsynced, renamed over it, and
// the directory fsynced, so that a reader (or a crash, or kill -9) sees the old file or the
// new one, never a part of either. Just before the rename the file is checked again (inode,
// size, modification time and content): when it changed since `snap` was taken, nothing is
// replaced and `error` says so. A file the user may not write (read-only) is an error, not
// replaced. On any failure the temporary file is removed, and so it is
// when SIGINT, SIGTERM, SIGHUP or SIGQUIT ends meshc meanwhile (after SIGKILL it may remain;
// the file is intact either way).
// The environment variable MESHC_TEST_PAUSE_BEFORE_RENAME=<seconds> makes it sleep between
// writing the temporary file and that check (tests kill meshc or change the file then).
bool replace_file_if_unchanged(const FileSnapshot& snap, std::string_view text, std::string* error);

}  // namespace meshc
