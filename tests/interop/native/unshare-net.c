/* A test-only N-API addon with one function: unshareNet() moves the calling thread (the
 * test process's main thread) into a new, empty network namespace, with unshare(2)'s
 * CLONE_NEWNET. Node has no binding for it, and a vitest test file cannot be started under
 * `ip netns exec`. Sockets the main thread opens afterwards, and processes it spawns
 * (libuv forks from the calling thread), live in that namespace; the namespace disappears
 * with the process. Built by tests/interop/private-net.ts. Needs CAP_SYS_ADMIN (root). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <node_api.h>

/* unshareNet(): 0, or the errno of unshare(2). */
static napi_value unshare_net(napi_env env, napi_callback_info info) {
	(void)info;
	int error = unshare(CLONE_NEWNET) == 0 ? 0 : errno;
	napi_value result = NULL;
	napi_create_int32(env, error, &result);
	return result;
}

NAPI_MODULE_INIT() {
	napi_value function = NULL;
	if (napi_create_function(env, "unshareNet", NAPI_AUTO_LENGTH, unshare_net, NULL, &function) != napi_ok ||
			napi_set_named_property(env, exports, "unshareNet", function) != napi_ok) {
		return NULL;
	}
	return exports;
}
