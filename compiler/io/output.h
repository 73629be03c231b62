// Output at the edge: stdout and files, written only after a whole run succeeded.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meshc {

// Call first thing in main(). Ignores SIGPIPE and SIGXFSZ, so that a reader that went away or
// a file size limit (ulimit -f) is a write error meshc reports (exit 1), not a silent death
// by signal. Makes sure file descriptors 0, 1 and 2 are open (a closed one is pointed at
// /dev/null), so that no file meshc opens can take the number of a standard stream and receive
// its text; a stdout that was closed is remembered, and write_stdout_or_report() then fails.
void init_output_safety();

// Writes all of `text` to stdout, or says why it could not on stderr ("meshc: error: cannot
// write to stdout: Broken pipe") and returns false: stdout was closed at startup, its reader
// went away (EPIPE; SIGPIPE must be ignored) or the device is full (ENOSPC, e.g. /dev/full).
// Nothing is buffered: the caller writes stdout once, after the whole run succeeded.
bool write_stdout_or_report(std::string_view text);
// The same for text in pieces, written in order with writev (no concatenated copy).
bool write_stdout_or_report(const std::vector<std::string_view>& pieces);

// Writes each (path, text), all or nothing as far as the file system allows:
// - A regular file that already holds exactly `text` is left untouched (mtime and inode stay).
// - Any other regular file (new or existing) is written to a temporary file in the same
//   directory (".<name>.meshc-XXXXXX"), flushed to disk (fsync for a single file, one syncfs
//   per file system for several), then renamed over the target, and the directory is
//   fsynced: readers see the old file or the new one, never a part. A symlink is
//   followed: the file it points to is replaced and the link stays. An existing file keeps its
//   permission bits; a new one gets 0666 minus the umask. A file meshc may not write (e.g.
//   read-only) is an error, not silently replaced.
// - Every temporary file is written before any target is touched: when one cannot be written
//   (disk full, read-only directory ...) all are removed and no target changes. SIGINT, SIGTERM,
//   SIGHUP and SIGQUIT during the write remove the temporary files before meshc dies; after
//   SIGKILL a hidden temporary may remain, but a target is never partial.
// - A target that exists and is not a regular file (a device such as /dev/null or /dev/full, a
//   FIFO, a socket) and any path under /dev/ (not /dev/shm/) or /proc/ is opened and written
//   directly, after the temporaries are staged and before they are renamed: no file is ever created
//   there.
// Parent directories of new files are created. `error` names the file and the reason.
// `unchanged` (when not null) receives the paths left alone because they already held the text.
bool write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files,
                            std::string* error, std::vector<std::string>* unchanged = nullptr);

// Deletes each file (one a concurrent run already deleted is fine), then fsyncs the
// directories they were in. False with `error` naming the first file that could not be
// deleted.
bool remove_files(const std::vector<std::string>& paths, std::string* error);

// Reads a file whole; false if it cannot be read.
bool read_file(const std::string& path, std::string* text);

}  // namespace meshc
