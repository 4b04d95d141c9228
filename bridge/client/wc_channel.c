/* WebRTCDataChannel over the bridge: extension/src/api/data-channel.ts, call for call.
 * put_packet decides locally (OPEN only, size, UTF-8 in text mode, the send limit) and then
 * is one record written into the ring; received packets wait in the channel's queue under
 * the receive limit: past it a reliable channel is closed loudly and an unreliable one
 * drops its oldest unread packets and counts them. */
#include <stdlib.h>
#include <string.h>

#include "wc_private.h"

uint32_t wc_test_send_limit;
uint32_t wc_test_receive_limit;

static uint32_t wc_send_limit(void) {
	return wc_test_send_limit != 0 ? wc_test_send_limit : BP_SEND_LIMIT_BYTES;
}

static uint32_t wc_receive_limit(void) {
	return wc_test_receive_limit != 0 ? wc_test_receive_limit : BP_RECEIVE_LIMIT_BYTES;
}

wc_channel *wc_channel_get(wc_handle p_channel) {
	return wc_table_get(&wc_g.channels, p_channel);
}

static const char *wc_state_name(int32_t p_state) {
	switch (p_state) {
		case BP_CHANNEL_STATE_CONNECTING: return "STATE_CONNECTING";
		case BP_CHANNEL_STATE_OPEN: return "STATE_OPEN";
		case BP_CHANNEL_STATE_CLOSING: return "STATE_CLOSING";
		case BP_CHANNEL_STATE_CLOSED: return "STATE_CLOSED";
		default: return "STATE_UNKNOWN";
	}
}

static int32_t wc_clamp(uint32_t p_value) {
	return p_value > (uint32_t)INT32_MAX ? INT32_MAX : (int32_t)p_value;
}

/* wc_channel_adopt failed: one line, and the worker frees its channel (p_core; 0: done). */
static wc_handle wc_channel_not_adopted(uint32_t p_core) {
	if (p_core != 0) {
		wc_command free_it = { .type = BP_MSG_FREE_CHANNEL, .handle = p_core };
		wc_link_send(&free_it);
	}
	wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: out of memory for a new data channel; it is closed and freed");
	return 0;
}

wc_handle wc_channel_adopt(wc_peer *p_peer, uint32_t p_core, const wc_event_channel *p_description,
		const uint8_t *p_label, uint32_t p_label_length, const uint8_t *p_protocol, uint32_t p_protocol_length) {
	wc_channel *channel = calloc(1, sizeof(*channel));
	if (channel == NULL || !wc_str_set(&channel->label, p_label, p_label_length) ||
			!wc_str_set(&channel->protocol, p_protocol, p_protocol_length)) {
		if (channel != NULL) {
			wc_str_free(&channel->label);
			free(channel);
		}
		return wc_channel_not_adopted(p_core);
	}
	channel->core = p_core;
	channel->epoch = wc_g.epoch;
	channel->id = wc_clamp(p_description->id);
	channel->max_packet_life_time = wc_clamp(p_description->max_packet_life_time);
	channel->max_retransmits = wc_clamp(p_description->max_retransmits);
	channel->max_message_size = wc_clamp(p_description->max_message_size);
	channel->ordered = (p_description->flags & BP_CHANNEL_FLAG_ORDERED) != 0;
	channel->negotiated = (p_description->flags & BP_CHANNEL_FLAG_NEGOTIATED) != 0;
	channel->state = BP_CHANNEL_STATE_CONNECTING;
	channel->write_mode = BP_CHANNEL_WRITE_MODE_BINARY;
	wc_handle handle = wc_table_add(&wc_g.channels, channel);
	if (handle == 0) {
		wc_str_free(&channel->label);
		wc_str_free(&channel->protocol);
		free(channel);
		return wc_channel_not_adopted(p_core);
	}
	/* Without its map entry its events would be dropped; without its place in the peer it
	 * would not close with the peer. */
	if (!wc_map_put(&wc_g.core_channels, p_core, handle) || !wc_peer_add_channel(p_peer, handle)) {
		wc_channel_release(handle); /* FREE_CHANNEL, out of the map */
		return wc_channel_not_adopted(0);
	}
	return handle;
}

void wc_channel_on_state(wc_channel *p_channel, int32_t p_state, int32_t p_id, int32_t p_max_message_size) {
	if (p_channel->state == BP_CHANNEL_STATE_CLOSED) {
		return;
	}
	if (p_state == BP_CHANNEL_STATE_OPEN && p_channel->state == BP_CHANNEL_STATE_CLOSING) {
		return;
	}
	p_channel->state = p_state;
	p_channel->id = p_id;
	p_channel->max_message_size = p_max_message_size;
}

void wc_channel_close_locked(wc_channel *p_channel) {
	if (p_channel->state == BP_CHANNEL_STATE_CLOSED || p_channel->state == BP_CHANNEL_STATE_CLOSING) {
		return;
	}
	p_channel->state = BP_CHANNEL_STATE_CLOSING;
	if (p_channel->core != 0) {
		wc_command command = { .type = BP_MSG_CLOSE_CHANNEL, .handle = p_channel->core };
		wc_link_send(&command);
	}
}

static bool wc_channel_reliable(const wc_channel *p_channel) {
	return p_channel->max_packet_life_time == (int32_t)BP_CHANNEL_VALUE_UNSET &&
			p_channel->max_retransmits == (int32_t)BP_CHANNEL_VALUE_UNSET;
}

void wc_channel_on_message(wc_channel *p_channel, const uint8_t *p_data, uint32_t p_length, bool p_is_string) {
	wc_packet packet = { malloc(p_length != 0 ? p_length : 1u), p_length, p_is_string };
	if (packet.data == NULL) {
		wc_log(BP_LOG_LEVEL_ERROR, "data channel \"%s\": out of memory for a %u-byte packet; closing the channel",
				wc_str_c(&p_channel->label), p_length);
		wc_channel_close_locked(p_channel);
		return;
	}
	if (p_length != 0) {
		memcpy(packet.data, p_data, p_length);
	}
	wc_packets *queue = &p_channel->queue;
	const uint64_t limit = wc_receive_limit();
	if (queue->bytes + p_length > limit && queue->count > 0) {
		if (wc_channel_reliable(p_channel)) {
			/* Keep what arrived (a reliable channel never drops) and close loudly. */
			if (!wc_packets_push(queue, packet)) {
				free(packet.data);
			}
			if (p_channel->state != BP_CHANNEL_STATE_CLOSING && p_channel->state != BP_CHANNEL_STATE_CLOSED) {
				wc_log(BP_LOG_LEVEL_ERROR,
						"data channel \"%s\": more than %u bytes of unread packets (the receive limit); closing the channel. "
						"Read packets every frame or send less.",
						wc_str_c(&p_channel->label), (unsigned)limit);
				wc_channel_close_locked(p_channel);
			}
			return;
		}
		wc_packet old;
		while (queue->count > 0 && queue->bytes + p_length > limit && wc_packets_shift(queue, &old)) {
			free(old.data);
			p_channel->dropped++;
		}
	}
	if (!wc_packets_push(queue, packet)) {
		free(packet.data);
		wc_log(BP_LOG_LEVEL_ERROR, "data channel \"%s\": out of memory queueing a packet", wc_str_c(&p_channel->label));
	}
}

void wc_channel_log_drops(wc_channel *p_channel) {
	if (p_channel->dropped == p_channel->dropped_logged) {
		return;
	}
	wc_log(BP_LOG_LEVEL_WARNING,
			"data channel \"%s\": dropped %llu oldest unread packets past the receive limit (%llu in all)",
			wc_str_c(&p_channel->label), (unsigned long long)(p_channel->dropped - p_channel->dropped_logged),
			(unsigned long long)p_channel->dropped);
	p_channel->dropped_logged = p_channel->dropped;
}

void wc_channel_release(wc_handle p_channel) {
	wc_channel *channel = wc_table_remove(&wc_g.channels, p_channel);
	if (channel == NULL) {
		return;
	}
	if (channel->core != 0) {
		wc_command command = { .type = BP_MSG_FREE_CHANNEL, .handle = channel->core };
		wc_link_send(&command);
		wc_map_remove(&wc_g.core_channels, channel->core);
	}
	wc_packets_clear(&channel->queue);
	free(channel->last.data);
	wc_str_free(&channel->label);
	wc_str_free(&channel->protocol);
	free(channel);
}

/* ---- API: lock, drain, look up, one call, unlock ---- */

/* Drain what the worker said (it may have died meanwhile), then look the channel up: NULL for
 * a stale handle. Every public function below takes the lock once, on entry, and releases it
 * on its one way out. */
static wc_channel *wc_channel_enter(wc_handle p_handle) {
	wc_touch();
	return wc_channel_get(p_handle);
}

static uint64_t wc_channel_buffered(const wc_channel *p_channel) {
	uint64_t waiting = p_channel->put > p_channel->core_sent ? p_channel->put - p_channel->core_sent : 0u;
	return waiting + p_channel->core_buffered;
}

/* The local checks, then one record into the ring (or the overflow list). It never waits;
 * a corrupt commands ring loses the worker here (wc_link_begin). */
static wc_status wc_channel_put_packet_locked(wc_channel *p_channel, const uint8_t *p_data, size_t p_length) {
	bool text = p_channel->write_mode == BP_CHANNEL_WRITE_MODE_TEXT;
	if (p_channel->state != BP_CHANNEL_STATE_OPEN) {
		wc_log(BP_LOG_LEVEL_ERROR, "put_packet: data channel \"%s\" is not open (%s)", wc_str_c(&p_channel->label),
				wc_state_name(p_channel->state));
		return BP_CORE_STATUS_WRONG_STATE;
	}
	if (p_length > (size_t)p_channel->max_message_size || p_length > BP_DATA_CHANNEL_MESSAGE_MAX) {
		wc_log(BP_LOG_LEVEL_ERROR, "put_packet: %zu bytes is more than the channel's maximum of %d", p_length,
				p_channel->max_message_size);
		return BP_CORE_STATUS_INVALID_PARAMETER;
	}
	if (text && !wc_utf8_valid(p_data, p_length)) {
		wc_log(BP_LOG_LEVEL_ERROR, "put_packet: text mode sends UTF-8 and this packet is not valid UTF-8");
		return BP_CORE_STATUS_INVALID_PARAMETER;
	}
	if (wc_channel_buffered(p_channel) + p_length > wc_send_limit()) {
		return BP_CORE_STATUS_BUSY;
	}
	p_channel->put += p_length;
	uint8_t *at = wc_link_begin(BP_MSG_SEND, BP_CMD_SEND_SIZE + (uint32_t)p_length);
	if (at == NULL) {
		return wc_g.running ? BP_CORE_STATUS_INTERNAL : BP_CORE_STATUS_NO_WORKER;
	}
	bp_cmd_send header = { .ch = p_channel->core, .flags = text ? BP_MESSAGE_FLAG_STRING : 0u,
		.data_length = (uint32_t)p_length };
	memcpy(at, &header, sizeof(header));
	if (p_length != 0) {
		memcpy(at + BP_CMD_SEND_SIZE, p_data, p_length);
	}
	wc_link_end();
	return BP_CORE_STATUS_OK;
}

static wc_status wc_channel_get_packet_locked(wc_channel *p_channel, const uint8_t **r_data, size_t *r_length) {
	free(p_channel->last.data);
	p_channel->last.data = NULL;
	if (!wc_packets_shift(&p_channel->queue, &p_channel->last)) {
		return BP_CORE_STATUS_UNAVAILABLE;
	}
	p_channel->last_was_string = p_channel->last.is_string;
	*r_data = p_channel->last.data;
	*r_length = p_channel->last.length;
	return BP_CORE_STATUS_OK;
}

static wc_status wc_channel_set_write_mode_locked(wc_channel *p_channel, int32_t p_mode) {
	if (p_mode != BP_CHANNEL_WRITE_MODE_TEXT && p_mode != BP_CHANNEL_WRITE_MODE_BINARY) {
		wc_log(BP_LOG_LEVEL_ERROR, "set_write_mode: %d is not a WriteMode", (int)p_mode);
		return BP_CORE_STATUS_INVALID_PARAMETER;
	}
	p_channel->write_mode = p_mode;
	return BP_CORE_STATUS_OK;
}

static void wc_channel_get_info_locked(const wc_channel *p_channel, wc_channel_info *r_info) {
	r_info->label = (wc_text){ wc_str_c(&p_channel->label), p_channel->label.length };
	r_info->protocol = (wc_text){ wc_str_c(&p_channel->protocol), p_channel->protocol.length };
	r_info->id = p_channel->id;
	r_info->max_packet_life_time = p_channel->max_packet_life_time;
	r_info->max_retransmits = p_channel->max_retransmits;
	r_info->max_packet_size = p_channel->max_message_size;
	r_info->ordered = p_channel->ordered;
	r_info->negotiated = p_channel->negotiated;
}

wc_status wc_channel_put_packet(wc_handle p_channel, const uint8_t *p_data, size_t p_length) {
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	wc_status status = channel == NULL ? BP_CORE_STATUS_STALE_HANDLE : wc_channel_put_packet_locked(channel, p_data, p_length);
	wc_unlock();
	return status;
}

wc_status wc_channel_get_packet(wc_handle p_channel, const uint8_t **r_data, size_t *r_length) {
	*r_data = NULL;
	*r_length = 0;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	wc_status status = channel == NULL ? BP_CORE_STATUS_STALE_HANDLE : wc_channel_get_packet_locked(channel, r_data, r_length);
	wc_unlock();
	return status;
}

wc_status wc_channel_get_available_packet_count(wc_handle p_channel, int32_t *r_count) {
	*r_count = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		*r_count = wc_clamp(channel->queue.count);
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_was_string_packet(wc_handle p_channel, bool *r_was_string) {
	*r_was_string = false;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		*r_was_string = channel->last_was_string;
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_set_write_mode(wc_handle p_channel, int32_t p_mode) {
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	wc_status status = channel == NULL ? BP_CORE_STATUS_STALE_HANDLE : wc_channel_set_write_mode_locked(channel, p_mode);
	wc_unlock();
	return status;
}

wc_status wc_channel_get_info(wc_handle p_channel, wc_channel_info *r_info) {
	memset(r_info, 0, sizeof(*r_info));
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		wc_channel_get_info_locked(channel, r_info);
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_get_write_mode(wc_handle p_channel, int32_t *r_mode) {
	*r_mode = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		*r_mode = channel->write_mode;
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_get_ready_state(wc_handle p_channel, int32_t *r_state) {
	*r_state = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		*r_state = channel->state;
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_get_buffered_amount(wc_handle p_channel, int64_t *r_bytes) {
	*r_bytes = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		uint64_t buffered = wc_channel_buffered(channel);
		*r_bytes = buffered > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)buffered;
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_get_dropped_count(wc_handle p_channel, uint64_t *r_count) {
	*r_count = 0;
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		*r_count = channel->dropped;
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_poll(wc_handle p_channel) {
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		wc_channel_log_drops(channel);
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_close(wc_handle p_channel) {
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		wc_channel_close_locked(channel);
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}

wc_status wc_channel_free(wc_handle p_channel) {
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	wc_lock();
	wc_channel *channel = wc_channel_enter(p_channel);
	if (channel != NULL) {
		wc_channel_release(p_channel); /* frees channel */
		status = BP_CORE_STATUS_OK;
	}
	wc_unlock();
	return status;
}
