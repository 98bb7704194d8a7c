#ifndef GUIDE_CSYSTEM_H
#define GUIDE_CSYSTEM_H

/// Swaps two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE), so readers
/// see the old site or the new one, never neither. Returns 0, or -1 with errno set
/// (ENOSYS or EINVAL where the system or file system cannot; the caller then renames twice).
int guide_rename_exchange(const char *from, const char *to);

/// Whether `needle` occurs in `haystack` (glibc's memmem, which Swift's Glibc module hides).
int guide_contains_bytes(const void *haystack, long haystack_length, const void *needle, long needle_length);

#endif
