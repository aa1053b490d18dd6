// dwspice links jemalloc (Debian's libjemalloc2) as its allocator, configured
// here through jemalloc's documented compile-time hook `malloc_conf`.
//
// Why: a 100k-element netlist builds about 80 MB of small objects (tokens,
// cards, flattened instances, devices) within a fraction of a second. With
// 4 KiB pages the kernel's first-touch page faults were a third of the run
// (25 000 faults for the 784x128 crossbar .op). Transparent huge pages for
// the heap cut that to a few hundred 2 MiB faults: the .op run went from
// 0.17 to 0.11 s. glibc can do the same only through the GLIBC_TUNABLES
// environment variable, which a program cannot set for itself.
//
// Freed pages are kept for 60 s before they go back to the kernel (jemalloc's
// default is 10 s). A batch run frees and rebuilds each image's integrator
// state; with huge pages every page handed back came back as a fresh 2 MiB
// page the kernel had to clear, which cost 1.4 s of system time in six MNIST
// images (0.17 s with the longer decay; glibc's allocator: 0.45 s).
//
// Freed memory is kept for reuse, not handed back at once. Allocations above
// 8 MiB normally come from a separate arena that returns freed pages
// straight away (oversize_threshold:0 keeps them in the common arena), and
// jemalloc 5.3 also returns any freed large block at once (MADV_DONTNEED,
// seen with strace) unless one of the decay times is -1. For a 100k-card
// netlist that meant the 29 MB instance list, freed once the devices exist,
// went back to the kernel and the matrix pattern built next had those pages
// cleared again (784x128 .op: ~2 ms of 57). So muzzy_decay_ms is -1: dirty
// pages still age out after 60 s, as lazily freed pages (MADV_FREE) that
// the kernel takes back when it needs memory; they are only never unmapped.
//
// The cost: each allocator arena's memory comes in 2 MiB pages, a few MiB
// of resident memory more for small netlists. Where the kernel has THP
// disabled the setting is ignored. MALLOC_CONF in the environment still
// overrides any of these keys.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char *malloc_conf =
    "thp:always,metadata_thp:always,dirty_decay_ms:60000,muzzy_decay_ms:-1,oversize_threshold:0";
}
