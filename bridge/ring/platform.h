/* Which operating-system code a build uses (bridge/client/wc_platform.h lists the files).
 *
 *   BR_PLATFORM_WINDOWS   _WIN32 (mingw-w64)
 *   BR_PLATFORM_LINUX     Linux: memfd region with seals, POLLRDHUP for a closed doorbell
 *   BR_PLATFORM_POSIX     everything else (macOS): shm_open region, death seen by poll()
 *                         and waitpid(). Defining it on Linux (-DBR_PLATFORM_POSIX, what
 *                         `make -C bridge test` does for its second run) builds the macOS
 *                         path there, so every line of it but the few __APPLE__ ones runs in
 *                         the Linux tests.
 *
 * Each platform's files are wrapped whole in #if on these, so a build may list them all. */
#ifndef BRIDGE_PLATFORM_H
#define BRIDGE_PLATFORM_H

#if defined(_WIN32)
#define BR_PLATFORM_WINDOWS 1
#elif defined(__linux__) && !defined(BR_PLATFORM_POSIX)
#define BR_PLATFORM_LINUX 1
#elif !defined(BR_PLATFORM_POSIX)
#define BR_PLATFORM_POSIX 1
#endif

#endif /* BRIDGE_PLATFORM_H */
