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
