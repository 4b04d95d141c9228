# Linux arm64 (aarch64, glibc), cross-compiled on x86_64 with Debian's
# gcc-aarch64-linux-gnu (apt-get install -y gcc-aarch64-linux-gnu libc6-dev-arm64-cross):
#
#   make -f bridge/linux-arm64.mk linux-arm64   both shims and shm.node into build/arm64/,
#                                               each checked: aarch64, exports only its entries
#
# Run under qemu-user (apt-get install -y qemu-user), the binaries handed to qemu-aarch64 by
# binfmt_misc, so that the shim's posix_spawn of the bundled arm64 node works as on an arm64
# machine (scripts/run-arm64-tests.sh registers it in a private user namespace):
#   make -f bridge/linux-arm64.mk arm64-locate-test       the locate rule's test
#   make -f bridge/linux-arm64.mk arm64-host-run HOST_ADDON=<addon folder>
#                                                         the GDExtension C host, real peers
#   make -f bridge/linux-arm64.mk arm64-e2e-run HOST_ADDON=<addon folder>
#                                                         the C client's end-to-end test
# On an arm64 machine the same targets run natively (ARM64_CC=cc).
#
# The source lists are bridge/sources.mk's (shared with bridge/windows.mk); the flags are
# those of the Linux x86_64 build (bridge/gdextension/Makefile, bridge/gdnative/Makefile,
# bridge/Makefile's shm.node). The tests' programs carry UBSan, not ASan: ASan's shadow
# memory does not fit qemu-user's emulated address space.

ARM64_CC ?= aarch64-linux-gnu-gcc
ARM64_NM ?= aarch64-linux-gnu-nm
ARM64_READELF ?= aarch64-linux-gnu-readelf
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
BRIDGE := $(ROOT)/bridge
include $(BRIDGE)/sources.mk
ARM64_BUILD := $(ROOT)/build/arm64
NODE ?= node
# Node-API headers: the lock file's runtime package (N-API is the same on every platform).
NODE_INCLUDE ?= $(firstword $(wildcard $(ROOT)/node_modules/node-*/include/node /usr/include/node))

ARM64_WARN := -std=c11 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes -fvisibility=hidden
ARM64_OPT := -O2 -g
ARM64_TEST := -O1 -g -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

GDE_SO := $(ARM64_BUILD)/libwebrtc_ts_gdextension.linux.arm64.so
GDN_SO := $(ARM64_BUILD)/libwebrtc_ts.linux.arm64.so
SHM_NODE := $(ARM64_BUILD)/shm.node
GDE_ENTRY := gde_webrtc_ts_init
GDN_ENTRIES := godot_gdnative_init godot_gdnative_singleton godot_gdnative_terminate godot_nativescript_init

.PHONY: linux-arm64 check-arm64
linux-arm64: $(GDE_SO) $(GDN_SO) $(SHM_NODE) check-arm64

$(GDE_SO): $(BRIDGE_GDE_SRC) $(BRIDGE_CLIENT_SRC) $(BRIDGE_RING_SRC) $(BRIDGE_HEADERS) $(BRIDGE)/gdextension/gdextension.map
	@mkdir -p $(ARM64_BUILD)
	$(ARM64_CC) $(ARM64_WARN) $(ARM64_OPT) -shared -fPIC -pthread -Wl,--version-script=$(BRIDGE)/gdextension/gdextension.map \
		-Wl,-z,noexecstack -Wl,-z,relro,-z,now -Wl,-z,defs -o $@ $(filter %.c,$^)

$(GDN_SO): $(BRIDGE_GDN_SRC) $(BRIDGE_CLIENT_SRC) $(BRIDGE_RING_SRC) $(BRIDGE_HEADERS) $(BRIDGE)/gdnative/gdn.map
	@mkdir -p $(ARM64_BUILD)
	$(ARM64_CC) $(ARM64_WARN) $(ARM64_OPT) -shared -fPIC -pthread -Wl,--version-script=$(BRIDGE)/gdnative/gdn.map \
		-Wl,-z,noexecstack -Wl,-z,defs -Wl,--no-undefined -o $@ $(filter %.c,$^)

# The napi_* functions stay undefined: node provides them when it loads the module.
$(SHM_NODE): $(BRIDGE)/node/shm.c $(BRIDGE)/node/shm.map
	@test -n "$(NODE_INCLUDE)" && test -f "$(NODE_INCLUDE)/node_api.h" || \
		{ echo "node_api.h not found: set NODE_INCLUDE=<node prefix>/include/node"; exit 1; }
	@mkdir -p $(ARM64_BUILD)
	$(ARM64_CC) $(ARM64_WARN) $(ARM64_OPT) -fPIC -I$(NODE_INCLUDE) -DNAPI_VERSION=8 -shared \
		-Wl,--version-script=$(BRIDGE)/node/shm.map -Wl,-z,noexecstack -o $@ $<

# Each is an aarch64 ELF exporting exactly its entry points; the newest glibc symbol version
# it needs is printed (the oldest glibc it runs on).
check-arm64: $(GDE_SO) $(GDN_SO) $(SHM_NODE)
	@check() { \
		machine=$$($(ARM64_READELF) -h $$1 | awk -F: '/Machine:/{gsub(/^ +/, "", $$2); print $$2}'); \
		exports=$$($(ARM64_NM) -D --defined-only $$1 | awk '$$2 ~ /^[TtWwDdBbVv]$$/ {print $$3}' | sort -u | tr '\n' ' '); \
		glibc=$$($(ARM64_READELF) -V $$1 | grep -o 'GLIBC_[0-9.]*' | sort -t. -k2,2n -u | tail -n 1); \
		echo "$${1##*/}: $$machine, exports $$exports(needs $${glibc:-no versioned glibc})"; \
		[ "$$machine" = AArch64 ] || { echo "  not an AArch64 file"; return 1; }; \
		[ "$$exports" = "$$2 " ] || { echo "  exports are not exactly: $$2"; return 1; }; \
	}; \
	check $(GDE_SO) "$(GDE_ENTRY)" && \
	check $(GDN_SO) "$$(printf '%s\n' $(GDN_ENTRIES) | sort | tr '\n' ' ' | sed 's/ $$//')" && \
	check $(SHM_NODE) "napi_register_module_v1 node_api_module_get_api_version_v1"

# ---- tests' programs (run under qemu-user, or natively on arm64) ----
LOCATE := $(ARM64_BUILD)/test_client_locate
HOST := $(ARM64_BUILD)/gde_host
E2E := $(ARM64_BUILD)/test_client_e2e
HOST_ADDON ?= $(ARM64_BUILD)/addon/webrtc_ts

$(LOCATE): $(BRIDGE)/client/tests/test_client_locate.c $(BRIDGE_CLIENT_SRC) $(BRIDGE_RING_SRC) $(BRIDGE_HEADERS) $(BRIDGE)/ring/tests/bt.h
	@mkdir -p $(ARM64_BUILD)
	$(ARM64_CC) $(ARM64_WARN) $(ARM64_TEST) -pthread -o $@ $(filter %.c,$^)

$(E2E): $(BRIDGE)/client/tests/test_client_e2e.c $(BRIDGE_CLIENT_SRC) $(BRIDGE_RING_SRC) $(BRIDGE_HEADERS) $(BRIDGE)/client/tests/tc.h $(BRIDGE)/ring/tests/bt.h
	@mkdir -p $(ARM64_BUILD)
	$(ARM64_CC) $(ARM64_WARN) $(ARM64_TEST) -pthread -o $@ $(filter %.c,$^)

$(HOST): $(BRIDGE_HOST_SRC) $(BRIDGE)/gdextension/tests/host_os_posix.c $(BRIDGE_HOST_HDR) $(BRIDGE_HEADERS)
	@mkdir -p $(ARM64_BUILD)
	$(ARM64_CC) $(ARM64_WARN) $(ARM64_TEST) -pthread -o $@ $(filter %.c,$^) -ldl

.PHONY: arm64-programs arm64-locate-test arm64-e2e-run arm64-host-run
arm64-programs: $(LOCATE) $(E2E) $(HOST)

arm64-locate-test: $(LOCATE)
	$(LOCATE)

# The C client's end-to-end test: the client and the worker (worker.mjs on the arm64 node, with
# the arm64 shm.node, and node_datachannel.node from worker/linux.arm64/ beside it) over the
# shared-memory rings, real connections on 127.0.0.1.
#   make -f bridge/linux-arm64.mk arm64-e2e-run HOST_ADDON=<addon folder> ARM64_NODE=<arm64 node>
ARM64_NODE ?= $(HOST_ADDON)/runtime/linux.arm64/node
arm64-e2e-run: $(E2E)
	UBSAN_OPTIONS=print_stacktrace=1 $(E2E) --worker $(HOST_ADDON)/worker/worker.mjs --node $(ARM64_NODE) \
		--shm-addon $(HOST_ADDON)/worker/linux.arm64/shm.node

# The host against an addon folder holding the arm64 shim, worker.mjs, the arm64 shm.node and
# node_datachannel.node, and runtime/linux.arm64/node (the host checks that runtime started
# the worker by a mark it leaves: scripts/run-arm64-tests.sh puts the same wrapper there as
# bridge/gdextension/Makefile does on x86_64).
arm64-host-run: $(HOST)
	UBSAN_OPTIONS=print_stacktrace=1 $(HOST) $(HOST_ADDON)/lib/$(notdir $(GDE_SO)) $(ROOT)/plugin.gdextension
