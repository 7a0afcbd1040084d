#define _GNU_SOURCE
#include "CFileSpace.h"
#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <sys/vfs.h>
#include <linux/magic.h>

int cfilespace_allocate_keeping_size(int fd, long long offset, long long length) {
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

int cfilespace_is_tmpfs(const char *path) {
    struct statfs info;
    return statfs(path, &info) == 0 && info.f_type == TMPFS_MAGIC;
}
#else
int cfilespace_allocate_keeping_size(int fd, long long offset, long long length) {
    (void)fd; (void)offset; (void)length;
    errno = ENOSYS;
    return -1;
}

int cfilespace_is_tmpfs(const char *path) {
    (void)path;
    return 0;
}
#endif
