/* WebRTCPeerConnection over the bridge: extension/src/api/peer-connection.ts, call for call.
 * State is mirrored from events; signals wait in the peer's queue and are handed out only
 * after wc_peer_poll. A peer exists in the worker only from the first call that needs it
 * (new() is cheap); a peer whose worker died is FAILED and needs initialize(). */
#include <stdlib.h>
#include <string.h>

#include "wc_private.h"

/* The largest string tails a command may carry (one record). */
#define WC_TAILS_MAX(p_fixed) ((size_t)BP_RECORD_MAX_PAYLOAD - (p_fixed))

wc_peer *wc_peer_get(wc_handle p_peer) {
	return wc_table_get(&wc_g.peers, p_peer);
}

bool wc_peer_add_channel(wc_peer *p_peer, wc_handle p_channel) {
	if (p_peer->channel_count == p_peer->channel_capacity) {
		/* Drop handles of freed channels before growing. */
		uint32_t kept = 0;
		for (uint32_t i = 0; i < p_peer->channel_count; i++) {
			if (wc_channel_get(p_peer->channels[i]) != NULL) {
				p_peer->channels[kept++] = p_peer->channels[i];
			}
		}
		p_peer->channel_count = kept;
	}
	if (p_peer->channel_count == p_peer->channel_capacity) {
		uint32_t capacity = p_peer->channel_capacity == 0 ? 8u : p_peer->channel_capacity * 2u;
		wc_handle *channels = realloc(p_peer->channels, capacity * sizeof(*channels));
		if (channels == NULL) {
			return false;
		}
		p_peer->channels = channels;
		p_peer->channel_capacity = capacity;
	}
	p_peer->channels[p_peer->channel_count++] = p_channel;
	return true;
}

/* Signals never handed out are dropped; a received channel nobody saw goes with them. */
static void wc_peer_drop_signals(wc_peer *p_peer) {
	wc_signal_item item;
	while (wc_signals_shift(&p_peer->signals, &item)) {
		if (item.kind == WC_SIGNAL_DATA_CHANNEL_RECEIVED) {
			wc_channel *channel = wc_channel_get(item.channel);
			if (channel != NULL && channel->unannounced) {
				wc_channel_release(item.channel);
			}
		}
		wc_signal_item_free(&item);
	}
	p_peer->batch = 0;
}

/* The facade's #closeLocally: CLOSED now, channels CLOSED, no more signals. */
static void wc_peer_close_locally(wc_peer *p_peer) {
	p_peer->closed = true;
	wc_peer_drop_signals(p_peer);
	wc_signal_item_free(&p_peer->current);
	p_peer->connection = BP_CONNECTION_STATE_CLOSED;
	p_peer->signaling = BP_SIGNALING_STATE_CLOSED;
	for (uint32_t i = 0; i < p_peer->channel_count; i++) {
		wc_channel *channel = wc_channel_get(p_peer->channels[i]);
		if (channel != NULL) {
			channel->state = BP_CHANNEL_STATE_CLOSED;
		}
	}
	p_peer->channel_count = 0;
}

static void wc_peer_send_handle(uint32_t p_type, uint32_t p_core) {
	wc_command command = { .type = p_type, .handle = p_core };
	wc_link_send(&command);
}

/* Make sure the peer exists in the running worker (starting it if needed). */
static wc_status wc_peer_bind(wc_peer *p_peer, wc_handle p_handle) {
	if (p_peer->core != 0) {
		return BP_CORE_STATUS_OK;
	}
	if (p_peer->orphaned) {
		wc_log(BP_LOG_LEVEL_ERROR,
				"godot-webrtc: this peer connection FAILED when its worker process died; call initialize() to start over");
		return BP_CORE_STATUS_WRONG_STATE;
	}
	wc_status status = wc_ensure_worker();
	if (status != BP_CORE_STATUS_OK) {
		return status;
	}
	wc_command command = { .type = BP_MSG_CREATE_PEER };
	status = wc_link_call(&command);
	if (status != BP_CORE_STATUS_OK) {
		return status;
	}
	if (wc_g.reply.status != BP_CORE_STATUS_OK || wc_g.reply.handle == 0) {
		return wc_g.reply.status != BP_CORE_STATUS_OK ? wc_g.reply.status : BP_CORE_STATUS_INTERNAL;
	}
	/* Without its map entry every event of the peer would be dropped. */
	if (!wc_map_put(&wc_g.core_peers, wc_g.reply.handle, p_handle)) {
		wc_peer_send_handle(BP_MSG_FREE_PEER, wc_g.reply.handle);
		wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: out of memory registering a peer connection; the call fails");
		return BP_CORE_STATUS_INTERNAL;
	}
	p_peer->core = wc_g.reply.handle;
	p_peer->epoch = wc_g.epoch;
	if (p_peer->closed) {
		/* The facade's core peer would be closed too: keep the core's answers the same. */
		wc_peer_send_handle(BP_MSG_CLOSE_PEER, p_peer->core);
	}
	return BP_CORE_STATUS_OK;
}

/* Drain what the worker said (it may have died meanwhile), then look the peer up: NULL for a
 * stale handle. The lock: every public function below takes it once, on entry, and releases
 * it on its one way out; the static helpers run inside and may return early. */
static wc_peer *wc_peer_enter(wc_handle p_handle) {
	wc_touch();
	return wc_peer_get(p_handle);
}

/* A synchronous command on a bound peer (starting the worker if needed); the core's status.
 * It waits for the REPLY, draining events meanwhile, and may lose the worker. */
static wc_status wc_peer_request(wc_peer *p_peer, wc_handle p_handle, wc_command *p_command) {
	wc_status status = wc_peer_bind(p_peer, p_handle);
	if (status != BP_CORE_STATUS_OK) {
		return status;
	}
	p_command->handle = p_peer->core;
	status = wc_link_call(p_command);
	return status != BP_CORE_STATUS_OK ? status : wc_g.reply.status;
}

static wc_status wc_too_large(const char *p_what) {
	wc_log(BP_LOG_LEVEL_ERROR, "%s: the arguments are larger than one bridge record (%u bytes)", p_what, BP_RECORD_MAX_PAYLOAD);
	return BP_CORE_STATUS_INVALID_PARAMETER;
}

static wc_bytes wc_arg(const char *p_data, size_t p_length) {
	wc_bytes bytes = { (const uint8_t *)p_data, p_data != NULL ? (uint32_t)p_length : 0u };
	return bytes;
}

/* ---- the calls, under the lock ---- */

static wc_status wc_peer_initialize_locked(wc_peer *p_peer, wc_handle p_handle, const char *p_config_json,
		size_t p_length) {
	if (p_config_json != NULL && p_length > WC_TAILS_MAX(BP_CMD_INITIALIZE_SIZE)) {
		return wc_too_large("initialize");
	}
	p_peer->orphaned = false;
	wc_command command = { .type = BP_MSG_INITIALIZE, .first = wc_arg(p_config_json, p_length) };
	wc_status status = wc_peer_request(p_peer, p_handle, &command);
	if (status == BP_CORE_STATUS_OK) {
		wc_peer_close_locally(p_peer);
		p_peer->closed = false;
		p_peer->connection = BP_CONNECTION_STATE_NEW;
		p_peer->gathering = BP_GATHERING_STATE_NEW;
		p_peer->signaling = BP_SIGNALING_STATE_STABLE;
	}
	return status;
}

static wc_status wc_peer_create_data_channel_locked(wc_peer *p_peer, wc_handle p_handle, const char *p_label,
		size_t p_label_length, const char *p_options_json, size_t p_options_length, wc_handle *r_channel) {
	if (p_peer->closed) {
		wc_log(BP_LOG_LEVEL_ERROR, "create_data_channel: the peer connection is closed; call initialize() first");
		return BP_CORE_STATUS_WRONG_STATE;
	}
	size_t label_length = p_label != NULL ? p_label_length : 0u;
	size_t options_length = p_options_json != NULL ? p_options_length : 0u;
	if (label_length > WC_TAILS_MAX(BP_CMD_CREATE_DATA_CHANNEL_SIZE) ||
			options_length > WC_TAILS_MAX(BP_CMD_CREATE_DATA_CHANNEL_SIZE) - label_length) {
		return wc_too_large("create_data_channel");
	}
	wc_command command = { .type = BP_MSG_CREATE_DATA_CHANNEL, .first = wc_arg(p_label, label_length),
		.second = wc_arg(p_options_json, options_length) };
	wc_status status = wc_peer_request(p_peer, p_handle, &command);
	if (status == BP_CORE_STATUS_OK && wc_g.reply.handle != 0) {
		wc_reply *reply = &wc_g.reply;
		*r_channel = wc_channel_adopt(p_peer, reply->handle, &reply->channel, (const uint8_t *)reply->label.data,
				reply->label.length, (const uint8_t *)reply->protocol.data, reply->protocol.length);
		if (*r_channel == 0) {
			status = BP_CORE_STATUS_INTERNAL;
		}
	}
	return status;
}

static wc_status wc_peer_set_description_locked(wc_peer *p_peer, wc_handle p_handle, uint32_t p_type,
		const char *p_type_text, size_t p_type_length, const char *p_sdp, size_t p_sdp_length) {
	size_t type_length = p_type_text != NULL ? p_type_length : 0u;
	size_t sdp_length = p_sdp != NULL ? p_sdp_length : 0u;
	if (type_length > WC_TAILS_MAX(BP_CMD_SET_DESCRIPTION_SIZE) ||
			sdp_length > WC_TAILS_MAX(BP_CMD_SET_DESCRIPTION_SIZE) - type_length) {
		return wc_too_large(p_type == BP_MSG_SET_LOCAL_DESCRIPTION ? "set_local_description" : "set_remote_description");
	}
	wc_command command = { .type = p_type, .first = wc_arg(p_type_text, type_length), .second = wc_arg(p_sdp, sdp_length) };
	return wc_peer_request(p_peer, p_handle, &command);
}

static wc_status wc_peer_add_ice_candidate_locked(wc_peer *p_peer, wc_handle p_handle, const char *p_mid,
		size_t p_mid_length, int64_t p_index, const char *p_candidate, size_t p_candidate_length) {
	size_t mid_length = p_mid != NULL ? p_mid_length : 0u;
	size_t candidate_length = p_candidate != NULL ? p_candidate_length : 0u;
	if (mid_length > WC_TAILS_MAX(BP_CMD_ADD_ICE_CANDIDATE_SIZE) ||
			candidate_length > WC_TAILS_MAX(BP_CMD_ADD_ICE_CANDIDATE_SIZE) - mid_length) {
		return wc_too_large("add_ice_candidate");
	}
	wc_command command = { .type = BP_MSG_ADD_ICE_CANDIDATE, .index = p_index, .first = wc_arg(p_mid, mid_length),
		.second = wc_arg(p_candidate, candidate_length) };
	return wc_peer_request(p_peer, p_handle, &command);
}

static void wc_peer_poll_locked(wc_peer *p_peer, uint32_t *r_count) {
	wc_signal_item_free(&p_peer->current);
	p_peer->batch = p_peer->closed ? 0u : p_peer->signals.count;
	*r_count = p_peer->batch;
	for (uint32_t i = 0; i < p_peer->channel_count; i++) {
		wc_channel *channel = wc_channel_get(p_peer->channels[i]);
		if (channel != NULL) {
			wc_channel_log_drops(channel);
		}
	}
}

static wc_status wc_peer_next_signal_locked(wc_peer *p_peer, wc_signal *r_signal) {
	wc_signal_item_free(&p_peer->current);
	if (p_peer->closed || p_peer->batch == 0 || !wc_signals_shift(&p_peer->signals, &p_peer->current)) {
		return BP_CORE_STATUS_UNAVAILABLE;
	}
	p_peer->batch--;
	wc_signal_item *item = &p_peer->current;
	r_signal->kind = item->kind;
	if (item->kind == WC_SIGNAL_SESSION_DESCRIPTION_CREATED) {
		r_signal->type = (wc_text){ wc_str_c(&item->first), item->first.length };
		r_signal->sdp = (wc_text){ wc_str_c(&item->second), item->second.length };
	} else if (item->kind == WC_SIGNAL_ICE_CANDIDATE_CREATED) {
		r_signal->mid = (wc_text){ wc_str_c(&item->first), item->first.length };
		r_signal->index = item->index;
		r_signal->candidate = (wc_text){ wc_str_c(&item->second), item->second.length };
	} else {
		wc_channel *channel = wc_channel_get(item->channel);
		if (channel != NULL) {
			channel->unannounced = false; /* the shim owns it now */
		}
		r_signal->channel = item->channel;
	}
	return BP_CORE_STATUS_OK;
}

static void wc_peer_close_locked(wc_peer *p_peer) {
	wc_peer_close_locally(p_peer);
	if (p_peer->core != 0) {
		wc_peer_send_handle(BP_MSG_CLOSE_PEER, p_peer->core);
	}
}

static void wc_peer_destroy(wc_peer *p_peer) {
	wc_peer_drop_signals(p_peer);
	wc_signal_item_free(&p_peer->current);
	free(p_peer->signals.items);
	free(p_peer->channels);
	free(p_peer);
}

static void wc_peer_free_locked(wc_peer *p_peer, wc_handle p_handle) {
	wc_peer_close_locally(p_peer);
	if (p_peer->core != 0) {
		wc_peer_send_handle(BP_MSG_FREE_PEER, p_peer->core);
		wc_map_remove(&wc_g.core_peers, p_peer->core);
	}
	wc_table_remove(&wc_g.peers, p_handle);
	wc_peer_destroy(p_peer);
}

/* ---- API: lock, drain, look up, one call, unlock ---- */

wc_status wc_peer_create(wc_handle *r_peer) {
	*r_peer = 0;
	wc_peer *peer = calloc(1, sizeof(*peer));
	if (peer == NULL) {
		return BP_CORE_STATUS_INTERNAL;
	}
	peer->connection = BP_CONNECTION_STATE_NEW;
	peer->gathering = BP_GATHERING_STATE_NEW;
	peer->signaling = BP_SIGNALING_STATE_STABLE;
	wc_lock();
	wc_touch();
	*r_peer = wc_table_add(&wc_g.peers, peer);
	wc_unlock();
	if (*r_peer == 0) {
		free(peer);
		return BP_CORE_STATUS_INTERNAL;
	}
	return BP_CORE_STATUS_OK;
}

wc_status wc_peer_initialize(wc_handle p_peer, const char *p_config_json, size_t p_length) {
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	wc_status status = peer == NULL ? BP_CORE_STATUS_STALE_HANDLE
									: wc_peer_initialize_locked(peer, p_peer, p_config_json, p_length);
	wc_unlock();
	return status;
}

wc_status wc_peer_create_data_channel(wc_handle p_peer, const char *p_label, size_t p_label_length,
		const char *p_options_json, size_t p_options_length, wc_handle *r_channel) {
	*r_channel = 0;
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	wc_status status = peer == NULL ? BP_CORE_STATUS_STALE_HANDLE
									: wc_peer_create_data_channel_locked(peer, p_peer, p_label, p_label_length,
											  p_options_json, p_options_length, r_channel);
	wc_unlock();
	return status;
}

wc_status wc_peer_create_offer(wc_handle p_peer) {
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	wc_command command = { .type = BP_MSG_CREATE_OFFER };
	wc_status status = peer == NULL ? BP_CORE_STATUS_STALE_HANDLE : wc_peer_request(peer, p_peer, &command);
	wc_unlock();
	return status;
}

static wc_status wc_peer_set_description(uint32_t p_type, wc_handle p_peer, const char *p_type_text, size_t p_type_length,
		const char *p_sdp, size_t p_sdp_length) {
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	wc_status status = peer == NULL ? BP_CORE_STATUS_STALE_HANDLE
									: wc_peer_set_description_locked(peer, p_peer, p_type, p_type_text, p_type_length,
											  p_sdp, p_sdp_length);
	wc_unlock();
	return status;
}

wc_status wc_peer_set_local_description(wc_handle p_peer, const char *p_type, size_t p_type_length, const char *p_sdp,
		size_t p_sdp_length) {
	return wc_peer_set_description(BP_MSG_SET_LOCAL_DESCRIPTION, p_peer, p_type, p_type_length, p_sdp, p_sdp_length);
}

wc_status wc_peer_set_remote_description(wc_handle p_peer, const char *p_type, size_t p_type_length, const char *p_sdp,
		size_t p_sdp_length) {
	return wc_peer_set_description(BP_MSG_SET_REMOTE_DESCRIPTION, p_peer, p_type, p_type_length, p_sdp, p_sdp_length);
}

wc_status wc_peer_add_ice_candidate(wc_handle p_peer, const char *p_mid, size_t p_mid_length, int64_t p_index,
		const char *p_candidate, size_t p_candidate_length) {
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	wc_status status = peer == NULL ? BP_CORE_STATUS_STALE_HANDLE
									: wc_peer_add_ice_candidate_locked(peer, p_peer, p_mid, p_mid_length, p_index,
											  p_candidate, p_candidate_length);
	wc_unlock();
	return status;
}

wc_status wc_peer_poll(wc_handle p_peer, uint32_t *r_count) {
	*r_count = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	if (peer != NULL) {
		wc_peer_poll_locked(peer, r_count);
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_peer_next_signal(wc_handle p_peer, wc_signal *r_signal) {
	memset(r_signal, 0, sizeof(*r_signal));
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	wc_status status = peer == NULL ? BP_CORE_STATUS_STALE_HANDLE : wc_peer_next_signal_locked(peer, r_signal);
	wc_unlock();
	return status;
}

wc_status wc_peer_close(wc_handle p_peer) {
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	if (peer != NULL) {
		wc_peer_close_locked(peer);
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_peer_free(wc_handle p_peer) {
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	if (peer != NULL) {
		wc_peer_free_locked(peer, p_peer); /* frees peer */
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

/* The three state getters: p_which 0 connection, 1 gathering, 2 signaling. */
static wc_status wc_peer_read(wc_handle p_peer, int p_which, int32_t *r_state) {
	*r_state = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_peer *peer = wc_peer_enter(p_peer);
	if (peer != NULL) {
		*r_state = p_which == 0 ? peer->connection : p_which == 1 ? peer->gathering : peer->signaling;
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_peer_get_connection_state(wc_handle p_peer, int32_t *r_state) {
	return wc_peer_read(p_peer, 0, r_state);
}

wc_status wc_peer_get_gathering_state(wc_handle p_peer, int32_t *r_state) {
	return wc_peer_read(p_peer, 1, r_state);
}

wc_status wc_peer_get_signaling_state(wc_handle p_peer, int32_t *r_state) {
	return wc_peer_read(p_peer, 2, r_state);
}

void wc_objects_clear(void) {
	for (uint32_t slot = 0; slot < wc_g.peers.used; slot++) {
		wc_handle handle = wc_table_handle_at(&wc_g.peers, slot);
		if (handle != 0) {
			wc_peer *peer = wc_table_remove(&wc_g.peers, handle);
			peer->core = 0;
			wc_peer_destroy(peer);
		}
	}
	for (uint32_t slot = 0; slot < wc_g.channels.used; slot++) {
		wc_handle handle = wc_table_handle_at(&wc_g.channels, slot);
		if (handle != 0) {
			wc_channel_get(handle)->core = 0;
			wc_channel_release(handle);
		}
	}
	wc_table_free(&wc_g.peers);
	wc_table_free(&wc_g.channels);
	wc_map_free(&wc_g.core_peers);
	wc_map_free(&wc_g.core_channels);
}
