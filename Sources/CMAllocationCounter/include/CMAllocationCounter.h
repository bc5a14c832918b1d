// Counts heap allocations of the whole process, for `cm bench`'s "allocations per step".
//
// Linked into an executable, this target defines malloc, calloc, realloc, posix_memalign,
// aligned_alloc and memalign: the executable's definitions take precedence over the C library's
// for every shared library too (Swift's runtime, OpenBLAS), so every allocation of the process
// passes through them. Each adds one to a relaxed atomic counter and forwards to glibc's own
// allocator (__libc_malloc, …). free is not replaced. On a C library other than glibc nothing is
// replaced and `cm_allocation_counting_available` returns 0.
#ifndef CM_ALLOCATION_COUNTER_H
#define CM_ALLOCATION_COUNTER_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 if allocations are being counted (glibc), else 0.
int cm_allocation_counting_available(void);

/// The number of allocation calls (malloc, calloc, realloc, posix_memalign, aligned_alloc,
/// memalign) the process has made so far.
unsigned long long cm_allocation_count(void);

#ifdef __cplusplus
}
#endif

#endif
