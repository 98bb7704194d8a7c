#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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
