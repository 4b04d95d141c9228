# The source lists the cross builds share (bridge/windows.mk, bridge/linux-arm64.mk): one
# definition each, so a file added to the client, the ring or a shim reaches every platform.
# The including file sets BRIDGE (the bridge/ folder) first.

BRIDGE_RING_SRC := $(addprefix $(BRIDGE)/ring/,ring.c region.c shm_fd.c shm_memfd.c shm_posix.c shm_windows.c)
BRIDGE_CLIENT_SRC := $(wildcard $(BRIDGE)/client/wc_*.c)
BRIDGE_HEADERS := $(wildcard $(BRIDGE)/ring/*.h $(BRIDGE)/client/*.h $(BRIDGE)/gdextension/*.h $(BRIDGE)/gdnative/*.h) \
	$(BRIDGE)/protocol/bridge_protocol.h
BRIDGE_GDE_SRC := $(wildcard $(BRIDGE)/gdextension/gde_*.c)
BRIDGE_GDN_SRC := $(wildcard $(BRIDGE)/gdnative/gdn_*.c)
# The GDExtension shim's C host (bridge/gdextension/tests) but its operating-system file
# (host_os_posix.c, host_os_windows.c), which each platform adds.
BRIDGE_HOST_SRC := $(addprefix $(BRIDGE)/gdextension/tests/,host.c host_calls.c host_scenarios.c host_stats.c \
	fake_objects.c fake_methods.c fake_interface.c fake_values.c fake_json.c)
BRIDGE_HOST_HDR := $(wildcard $(BRIDGE)/gdextension/tests/*.h)
