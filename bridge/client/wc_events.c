/* Applying the worker's events: the facade's Session.#route and PeerConnection.onEvent
 * (extension/src/api/session.ts, peer-connection.ts). Peer events for a closed or unknown
 * peer are dropped, as the facade drops them; channel events go to the channel. */
#include <stdlib.h>

#include "wc_private.h"
#include "wc_stats.h"

static wc_peer *wc_peer_of(uint32_t p_core) {
	wc_handle handle = wc_map_get(&wc_g.core_peers, p_core);
	return handle != 0 ? wc_peer_get(handle) : NULL;
}

static wc_channel *wc_channel_of(uint32_t p_core) {
	wc_handle handle = wc_map_get(&wc_g.core_channels, p_core);
	return handle != 0 ? wc_channel_get(handle) : NULL;
}

/* false (one line logged) when out of memory: the signal is lost. */
static bool wc_queue_signal(wc_peer *p_peer, int32_t p_kind, wc_bytes p_first, wc_bytes p_second, int32_t p_index,
		wc_handle p_channel) {
	wc_signal_item item = { .kind = p_kind, .index = p_index, .channel = p_channel };
	if (!wc_str_set(&item.first, p_first.data, p_first.length) || !wc_str_set(&item.second, p_second.data, p_second.length) ||
			!wc_signals_push(&p_peer->signals, item)) {
		wc_signal_item_free(&item);
		wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: out of memory queueing a signal; it is lost");
		return false;
	}
	return true;
}

static void wc_apply_log(const wc_event *p_event) {
	wc_str text;
	if (!wc_str_set(&text, p_event->first.data, p_event->first.length)) {
		return;
	}
	int level = p_event->level <= BP_LOG_LEVEL_VERBOSE ? (int)p_event->level : BP_LOG_LEVEL_ERROR;
	wc_log(level, "%s", wc_str_c(&text));
	wc_str_free(&text);
}

static void wc_apply_channel_received(wc_peer *p_peer, const wc_event *p_event) {
	if (p_peer == NULL || p_peer->closed) {
		/* Nobody will ever see it: let the core forget it. */
		wc_command free_it = { .type = BP_MSG_FREE_CHANNEL, .handle = p_event->ch };
		wc_link_send(&free_it);
		return;
	}
	wc_handle handle = wc_channel_adopt(p_peer, p_event->ch, &p_event->channel, p_event->first.data, p_event->first.length,
			p_event->second.data, p_event->second.length);
	if (handle == 0) {
		return; /* logged, and the core's channel freed */
	}
	wc_channel_get(handle)->unannounced = true;
	wc_bytes none = { NULL, 0 };
	if (!wc_queue_signal(p_peer, WC_SIGNAL_DATA_CHANNEL_RECEIVED, none, none, 0, handle)) {
		wc_channel_release(handle); /* never announced: nobody could free it */
	}
}

static void wc_apply_peer(const wc_event *p_event) {
	wc_peer *peer = wc_peer_of(p_event->pc);
	if (p_event->type == BP_MSG_CHANNEL_RECEIVED) {
		wc_apply_channel_received(peer, p_event);
		return;
	}
	if (peer == NULL || peer->closed) {
		return;
	}
	switch (p_event->type) {
		case BP_MSG_DESCRIPTION: {
			bool offer = p_event->description_type == BP_DESCRIPTION_TYPE_OFFER;
			wc_bytes type = { (const uint8_t *)(offer ? "offer" : "answer"), offer ? 5u : 6u };
			wc_queue_signal(peer, WC_SIGNAL_SESSION_DESCRIPTION_CREATED, type, p_event->first, 0, 0);
			return;
		}
		case BP_MSG_CANDIDATE:
			wc_queue_signal(peer, WC_SIGNAL_ICE_CANDIDATE_CREATED, p_event->first, p_event->second,
					p_event->index > INT32_MAX ? INT32_MAX : (int32_t)p_event->index, 0);
			return;
		case BP_MSG_CONNECTION_STATE:
			peer->connection = (int32_t)p_event->state;
			return;
		case BP_MSG_GATHERING_STATE:
			peer->gathering = (int32_t)p_event->state;
			return;
		case BP_MSG_SIGNALING_STATE:
			peer->signaling = (int32_t)p_event->state;
			return;
		default:
			return;
	}
}

void wc_events_apply(const wc_event *p_event) {
	switch (p_event->type) {
		case BP_MSG_LOG:
			wc_apply_log(p_event);
			return;
		case BP_MSG_PEER_STATS:
		case BP_MSG_CHANNEL_STATS:
			wc_stats_on_event(p_event);
			return;
		case BP_MSG_CHANNEL_STATE: {
			wc_channel *channel = wc_channel_of(p_event->ch);
			if (channel != NULL) {
				wc_channel_on_state(channel, (int32_t)p_event->state, (int32_t)p_event->id, (int32_t)p_event->max_message_size);
			}
			return;
		}
		case BP_MSG_MESSAGE: {
			wc_channel *channel = wc_channel_of(p_event->ch);
			if (channel != NULL) {
				wc_channel_on_message(channel, p_event->first.data, p_event->first.length,
						(p_event->flags & BP_MESSAGE_FLAG_STRING) != 0);
			}
			return;
		}
		case BP_MSG_CHANNEL_BUFFERED: {
			wc_channel *channel = wc_channel_of(p_event->ch);
			if (channel != NULL) {
				channel->core_sent = p_event->sent;
				channel->core_buffered = p_event->buffered;
			}
			return;
		}
		case BP_MSG_HELLO:
			return; /* only the first one counts (the handshake) */
		default:
			wc_apply_peer(p_event);
			return;
	}
}
