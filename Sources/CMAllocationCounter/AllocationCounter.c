// malloc interposition that counts: see CMAllocationCounter.h.
#include "CMAllocationCounter.h"

#if defined(__GLIBC__) || (defined(__linux__) && !defined(__ANDROID__))
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#endif

#if defined(__GLIBC__)
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Atomic unsigned long long cm_allocations;

static inline void cm_count(void) { atomic_fetch_add_explicit(&cm_allocations, 1, memory_order_relaxed); }

void *malloc(size_t size) {
  cm_count();
  return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
  cm_count();
  return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
  cm_count();
  return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
  cm_count();
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
  cm_count();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
  cm_count();
  void *pointer = __libc_memalign(alignment, size);
  if (!pointer) return ENOMEM;
  *result = pointer;
  return 0;
}

int cm_allocation_counting_available(void) { return 1; }

unsigned long long cm_allocation_count(void) {
  return atomic_load_explicit(&cm_allocations, memory_order_relaxed);
}
#else
int cm_allocation_counting_available(void) { return 0; }
unsigned long long cm_allocation_count(void) { return 0; }
#endif
