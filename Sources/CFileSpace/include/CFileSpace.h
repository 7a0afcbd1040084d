#ifndef CFILESPACE_H
#define CFILESPACE_H

#ifdef __cplusplus
extern "C" {
#endif

/// Allocates the storage of bytes [offset, offset + length) of the open file `fd` without changing its size
/// (Linux `fallocate` with FALLOC_FL_KEEP_SIZE; Swift's Glibc module does not declare it). Returns 0, or -1 with
/// errno set (ENOSYS where the call does not exist).
int cfilespace_allocate_keeping_size(int fd, long long offset, long long length);

/// 1 when `path` lies on a tmpfs file system (its pages are memory, allocated when first written), else 0.
int cfilespace_is_tmpfs(const char *path);

#ifdef __cplusplus
}
#endif

#endif
