/* get_stats() of peer connections and data channels: extension/src/api/stats-dictionary.ts
 * and peer-connection.ts / data-channel.ts getStats(), with the same names and numbers. The
 * worker answers GET_PEER_STATS / GET_CHANNEL_STATS with a stats event just before the REPLY
 * (protocol.json); the event waits here until the call reads it. */
#include <string.h>

#include "wc_private.h"
#include "wc_stats.h"

/* ---- names (the Dictionary's values; bridge_protocol.h enums, by value) ---- */

#define WC_NAME(p_table, p_value) \
	((uint32_t)(p_value) < sizeof(p_table) / sizeof((p_table)[0]) ? (p_table)[(uint32_t)(p_value)] : "unknown")

static const char *const wc_connection_names[] = { "new", "connecting", "connected", "disconnected", "failed", "closed" };
static const char *const wc_gathering_names[] = { "new", "gathering", "complete" };
static const char *const wc_signaling_names[] = { "stable", "have_local_offer", "have_remote_offer",
	"have_local_pranswer", "have_remote_pranswer", "closed" };
static const char *const wc_channel_names[] = { "connecting", "open", "closing", "closed" };
static const char *const wc_ice_names[] = { "new", "checking", "connected", "completed", "disconnected", "failed",
	"closed" };
static const char *const wc_dtls_names[] = { "new", "connecting", "connected", "closed", "failed" };
static const char *const wc_type_names[] = { "unknown", "host", "srflx", "prflx", "relay" };
static const char *const wc_transport_names[] = { "unknown", "udp", "tcp" };

/* Each table follows its enum's values in order. */
_Static_assert(BP_CONNECTION_STATE_CLOSED == 5 && BP_GATHERING_STATE_COMPLETE == 2 && BP_SIGNALING_STATE_CLOSED == 5,
		"Godot's peer enums as the name tables list them");
_Static_assert(BP_CHANNEL_STATE_CLOSED == 3, "Godot's ChannelState as the name table lists it");
_Static_assert(BP_ICE_STATE_CLOSED == 6 && BP_DTLS_STATE_FAILED == 4, "ice_state and dtls_state as listed");
_Static_assert(BP_CANDIDATE_TYPE_RELAY == 4 && BP_CANDIDATE_TRANSPORT_TCP == 2, "candidate enums as listed");

/* ---- the awaited answer ---- */

static struct {
	bool received;
	uint32_t request_id;
	uint32_t type;
	wc_event_stats stats;
	char local[256];
	char remote[256];
} wc_stats_answer;

static void wc_copy_address(char *r_text, wc_bytes p_bytes) {
	uint32_t length = p_bytes.length < 255u ? p_bytes.length : 255u;
	if (length != 0) {
		memcpy(r_text, p_bytes.data, length);
	}
	r_text[length] = '\0';
}

void wc_stats_on_event(const wc_event *p_event) {
	if (wc_g.reply.awaited == 0 || p_event->request_id != wc_g.reply.awaited) {
		return;
	}
	wc_stats_answer.received = true;
	wc_stats_answer.request_id = p_event->request_id;
	wc_stats_answer.type = p_event->type;
	wc_stats_answer.stats = p_event->stats;
	wc_copy_address(wc_stats_answer.local, p_event->first);
	wc_copy_address(wc_stats_answer.remote, p_event->second);
}

static int64_t wc_i64(uint64_t p_value) {
	return p_value > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)p_value;
}

/* Send the request and wait: OK only with the matching event in wc_stats_answer. */
static wc_status wc_stats_call(uint32_t p_type, uint32_t p_core) {
	memset(&wc_stats_answer, 0, sizeof(wc_stats_answer));
	wc_command command = { .type = p_type, .handle = p_core };
	wc_status status = wc_link_call(&command);
	if (status != BP_CORE_STATUS_OK) {
		return status;
	}
	if (wc_g.reply.status != BP_CORE_STATUS_OK) {
		return wc_g.reply.status;
	}
	uint32_t expected = p_type == BP_MSG_GET_PEER_STATS ? BP_MSG_PEER_STATS : BP_MSG_CHANNEL_STATS;
	if (!wc_stats_answer.received || wc_stats_answer.request_id != command.request_id || wc_stats_answer.type != expected) {
		wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: the worker answered get_stats without its statistics");
		return BP_CORE_STATUS_INTERNAL;
	}
	return BP_CORE_STATUS_OK;
}

/* ---- peer connections ---- */

static void wc_candidate_from(wc_candidate_stats *r_side, uint32_t p_type, uint32_t p_transport, uint32_t p_port,
		const char *p_address) {
	r_side->type = WC_NAME(wc_type_names, p_type);
	r_side->transport = WC_NAME(wc_transport_names, p_transport);
	r_side->port = (int32_t)p_port;
	memcpy(r_side->address, p_address, sizeof(r_side->address));
}

/* No stack peer: a new peer (never needed the worker), a closed one, or one whose worker
 * died (FAILED until initialize()). */
static void wc_peer_stats_local(const wc_peer *p_peer, wc_peer_stats *r_stats) {
	const char *idle = p_peer->closed ? "closed" : p_peer->orphaned ? "failed" : "new";
	r_stats->ice_state = idle;
	r_stats->dtls_state = idle;
}

static void wc_peer_stats_from_answer(wc_peer_stats *r_stats) {
	const wc_event_stats *s = &wc_stats_answer.stats;
	r_stats->ice_state = WC_NAME(wc_ice_names, s->ice_state);
	r_stats->dtls_state = WC_NAME(wc_dtls_names, s->dtls_state);
	r_stats->connected_msec = wc_i64(s->connected_ms);
	r_stats->rtt_msec = (double)s->srtt_ms;
	r_stats->rtt_smoothed_msec = (double)s->srtt_ms;
	r_stats->bytes_sent = wc_i64(s->bytes_sent);
	r_stats->bytes_received = wc_i64(s->bytes_received);
	r_stats->packets_sent = wc_i64(s->packets_sent);
	r_stats->packets_received = wc_i64(s->packets_received);
	r_stats->has_selected_pair = (s->flags & BP_PEER_STATS_FLAG_SELECTED_PAIR) != 0;
	if (r_stats->has_selected_pair) {
		wc_candidate_from(&r_stats->local, s->local_type, s->local_transport, s->local_port, wc_stats_answer.local);
		wc_candidate_from(&r_stats->remote, s->remote_type, s->remote_transport, s->remote_port, wc_stats_answer.remote);
	}
}

wc_status wc_peer_get_stats(wc_handle p_peer, wc_peer_stats *r_stats) {
	memset(r_stats, 0, sizeof(*r_stats));
	wc_lock();
	wc_touch();
	wc_peer *peer = wc_peer_get(p_peer);
	wc_status status = BP_CORE_STATUS_STALE_HANDLE;
	if (peer != NULL) {
		status = BP_CORE_STATUS_OK;
		if (peer->core == 0) {
			wc_peer_stats_local(peer, r_stats);
		} else {
			status = wc_stats_call(BP_MSG_GET_PEER_STATS, peer->core);
			peer = wc_peer_get(p_peer); /* the wait drained events: look again */
			if (status == BP_CORE_STATUS_OK && peer != NULL) {
				wc_peer_stats_from_answer(r_stats);
			}
		}
	}
	/* The three Godot states are the ones the getters return (a close() is local at once). */
	if (status == BP_CORE_STATUS_OK && peer != NULL) {
		r_stats->connection_state = WC_NAME(wc_connection_names, peer->connection);
		r_stats->gathering_state = WC_NAME(wc_gathering_names, peer->gathering);
		r_stats->signaling_state = WC_NAME(wc_signaling_names, peer->signaling);
	} else if (status == BP_CORE_STATUS_OK) {
		status = BP_CORE_STATUS_STALE_HANDLE;
	}
	wc_unlock();
	return status;
}

/* ---- data channels ---- */

wc_status wc_channel_get_stats(wc_handle p_channel, wc_channel_stats *r_stats) {
	memset(r_stats, 0, sizeof(*r_stats));
	wc_lock();
	wc_touch();
	wc_channel *channel = wc_channel_get(p_channel);
	wc_status status = channel != NULL ? BP_CORE_STATUS_OK : BP_CORE_STATUS_STALE_HANDLE;
	if (channel != NULL && channel->core != 0) {
		status = wc_stats_call(BP_MSG_GET_CHANNEL_STATS, channel->core);
		channel = wc_channel_get(p_channel);
		if (status == BP_CORE_STATUS_OK && channel != NULL) {
			r_stats->messages_sent = wc_i64(wc_stats_answer.stats.messages_sent);
			r_stats->bytes_sent = wc_i64(wc_stats_answer.stats.bytes_sent);
			r_stats->messages_received = wc_i64(wc_stats_answer.stats.messages_received);
			r_stats->bytes_received = wc_i64(wc_stats_answer.stats.bytes_received);
		}
	}
	if (status == BP_CORE_STATUS_OK && channel == NULL) {
		status = BP_CORE_STATUS_STALE_HANDLE;
	}
	wc_unlock();
	if (status != BP_CORE_STATUS_OK) {
		return status;
	}
	/* The channel's own numbers, through its getters (each takes the lock itself). */
	wc_channel_info info;
	int32_t state = BP_CHANNEL_STATE_CLOSED;
	int64_t buffered = 0;
	uint64_t dropped = 0;
	if (wc_channel_get_info(p_channel, &info) != BP_CORE_STATUS_OK || wc_channel_get_ready_state(p_channel, &state) != BP_CORE_STATUS_OK ||
			wc_channel_get_buffered_amount(p_channel, &buffered) != BP_CORE_STATUS_OK ||
			wc_channel_get_dropped_count(p_channel, &dropped) != BP_CORE_STATUS_OK) {
		return BP_CORE_STATUS_STALE_HANDLE;
	}
	r_stats->label = info.label;
	r_stats->id = info.id;
	r_stats->ready_state = WC_NAME(wc_channel_names, state);
	r_stats->buffered_amount = buffered;
	r_stats->dropped_packets = wc_i64(dropped);
	return BP_CORE_STATUS_OK;
}
