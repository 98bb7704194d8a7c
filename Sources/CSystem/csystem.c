#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "csystem.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int guide_rename_exchange(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int guide_contains_bytes(const void *haystack, long haystack_length, const void *needle, long needle_length) {
    return memmem(haystack, (size_t)haystack_length, needle, (size_t)needle_length) != NULL;
}

extern char **environ;

int guide_spawn(const char *path, char *const argv[], int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    if ((result = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0)) == 0 &&
        (result = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1)) == 0 &&
        (result = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2)) == 0) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
        result = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
        if (result == 0) result = posix_spawn(pid, path, &actions, NULL, argv, environ);
    }
    posix_spawn_file_actions_destroy(&actions);
    return result;
}

long guide_pipe_capacity(int fd) {
#ifdef F_GETPIPE_SZ
    int size = fcntl(fd, F_GETPIPE_SZ);
    if (size > 0) return size;
#endif
    return 4096;
}

int guide_open_unread(const char *path, int flags) {
#ifdef O_NOATIME
    int fd = open(path, flags | O_NOATIME);
    // Only the file's owner may leave its access time alone; anyone else reads it plainly.
    if (fd >= 0 || errno != EPERM) return fd;
#endif
    return open(path, flags);
}

void guide_read_ahead(const char *path) {
    struct stat status;
    // Only a plain file with bytes: opening a device or a pipe could wait, or do something.
    if (lstat(path, &status) != 0 || !S_ISREG(status.st_mode) || status.st_size == 0) return;
    int fd = guide_open_unread(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
    close(fd);
}

int guide_file_is_in_memory(const char *path) {
    struct stat status;
    // Only a plain file: opening a device or a pipe could wait, or do something.
    if (lstat(path, &status) != 0 || !S_ISREG(status.st_mode)) return -1;
    if (status.st_size == 0) return 1;
    int fd = guide_open_unread(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = (size_t)status.st_size;
    void *map = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return -1;
    long page = sysconf(_SC_PAGESIZE);
    size_t pages = (length + (size_t)page - 1) / (size_t)page;
    unsigned char *resident = malloc(pages);
    int result = -1;
    if (resident && mincore(map, length, resident) == 0) {
        result = 1;
        for (size_t i = 0; i < pages; i++) if (!(resident[i] & 1)) { result = 0; break; }
    }
    free(resident);
    munmap(map, length);
    return result;
}

long guide_json_plain_prefix(const unsigned char *bytes, long count) {
    long i = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), less = _mm_set1_epi8('<'),
                  greater = _mm_set1_epi8('>'), ampersand = _mm_set1_epi8('&'), e2 = _mm_set1_epi8((char)0xE2),
                  lastControl = _mm_set1_epi8(0x1F);
    // Bit k of the mask: byte k of the sixteen at `at` needs a look.
#define GUIDE_JSON_MASK(at, mask) do { \
        __m128i v = _mm_loadu_si128((const __m128i *)(at)); \
        /* A byte is a control character when it is its own minimum with 0x1F (unsigned). */ \
        __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, lastControl), v); \
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))); \
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, less), _mm_cmpeq_epi8(v, greater))); \
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, ampersand), _mm_cmpeq_epi8(v, e2))); \
        (mask) = (unsigned)_mm_movemask_epi8(hit); \
    } while (0)
    unsigned mask;
    for (; i + 16 <= count; i += 16) {
        GUIDE_JSON_MASK(bytes + i, mask);
        if (mask != 0) return i + __builtin_ctz(mask);
    }
    // The last few bytes, as the end of the last sixteen (those before `i` already looked at).
    if (i < count && count >= 16) {
        long start = count - 16;
        GUIDE_JSON_MASK(bytes + start, mask);
        mask >>= (unsigned)(i - start);
        return mask != 0 ? i + __builtin_ctz(mask) : count;
    }
#undef GUIDE_JSON_MASK
#endif
    for (; i < count; i++) {
        unsigned char b = bytes[i];
        if (b < 0x20 || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' || b == 0xE2) return i;
    }
    return count;
}
