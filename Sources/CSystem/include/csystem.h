#ifndef GUIDE_CSYSTEM_H
#define GUIDE_CSYSTEM_H

/// Swaps two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE), so readers
/// see the old site or the new one, never neither. Returns 0, or -1 with errno set
/// (ENOSYS or EINVAL where the system or file system cannot; the caller then renames twice).
int guide_rename_exchange(const char *from, const char *to);

/// Whether `needle` occurs in `haystack` (glibc's memmem, which Swift's Glibc module hides).
int guide_contains_bytes(const void *haystack, long haystack_length, const void *needle, long needle_length);

#include <sys/types.h>

/// Starts `path` with `argv` (NULL-terminated) and this process's environment, with the
/// given descriptors as its standard input, output and error and no other descriptor of
/// ours open in it. Returns 0 and sets `pid`, or an errno value. (Foundation's `Process`
/// fails with EBADF when the limit on open files is low, as in `ulimit -n 48`.)
int guide_spawn(const char *path, char *const argv[], int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid);

/// How many bytes a pipe holds before a write to it waits (Linux F_GETPIPE_SZ; one page,
/// the least a pipe has, where the system cannot say).
long guide_pipe_capacity(int fd);

/// Opens `path` for reading with `flags`, without recording the read as an access (Linux
/// O_NOATIME, where the caller owns the file): comparing a page with the last build's copy
/// would otherwise write each file's inode back to disk. Returns a descriptor or -1.
int guide_open_unread(const char *path, int flags);

/// Asks the system to start reading a plain file into memory (posix_fadvise WILLNEED) and
/// returns without waiting: files read soon after (a guide's chapters, the last build's
/// pages) are then fetched from disk all at once, not one wait each. Anything else (a
/// folder, a link, a device) is left alone.
void guide_read_ahead(const char *path);

/// Whether every page of the plain file at `path` is in the system's memory (mincore), so
/// that reading it waits for no disk: 1 yes (or it is empty), 0 no, -1 when it cannot be
/// told (not a plain file, gone, unreadable). Reads nothing of the file.
int guide_file_is_in_memory(const char *path);

/// How many of `count` bytes a JSON string in a script writes as they are before one it
/// must look at: a control character, a quote, a backslash, `<`, `>`, `&`, or 0xE2 (the
/// first byte of U+2028 and U+2029); `count` when there is none. Sixteen bytes at a time
/// (SSE2): most of a search index's text is such runs.
long guide_json_plain_prefix(const unsigned char *bytes, long count);

#endif
