#include "wc_wire.h"

#include <string.h>

/* Every payload is little-endian (bridge_protocol.h asserts the host is too), and fields are
 * read with memcpy so an odd tail never makes an unaligned access. */
static uint32_t wc_get_u32(const uint8_t *p_at) {
	uint32_t value;
	memcpy(&value, p_at, sizeof(value));
	return value;
}

static uint64_t wc_get_u64(const uint8_t *p_at) {
	uint64_t value;
	memcpy(&value, p_at, sizeof(value));
	return value;
}

static void wc_put_u32(uint8_t *p_at, uint32_t p_value) {
	memcpy(p_at, &p_value, sizeof(p_value));
}

int wc_wire_is_sync(uint32_t p_type) {
	return bp_msg_is_sync(p_type);
}

/* Fixed payload bytes of a command kind, from the tables generated from protocol.json; 0 for
 * a kind that is not a command. */
static uint32_t wc_fixed_size(uint32_t p_type) {
	return bp_msg_ring(p_type) == BP_RING_COMMANDS ? bp_msg_payload_size(p_type) : 0;
}

uint64_t wc_wire_command_length(const wc_command *p_command) {
	uint32_t fixed = wc_fixed_size(p_command->type);
	if (fixed == 0) {
		return 0;
	}
	return (uint64_t)fixed + p_command->first.length + p_command->second.length;
}

static void wc_put_tails(uint8_t *p_at, const wc_command *p_command) {
	if (p_command->first.length != 0) {
		memcpy(p_at, p_command->first.data, p_command->first.length);
	}
	if (p_command->second.length != 0) {
		memcpy(p_at + p_command->first.length, p_command->second.data, p_command->second.length);
	}
}

void wc_wire_encode_command(const wc_command *p_command, uint8_t *r_payload) {
	const wc_command *c = p_command;
	uint32_t fixed = wc_fixed_size(c->type);
	memset(r_payload, 0, fixed); /* reserved bytes are zero */
	switch (c->type) {
		case BP_MSG_CREATE_PEER:
			wc_put_u32(r_payload + offsetof(bp_cmd_request, request_id), c->request_id);
			break;
		case BP_MSG_INITIALIZE:
			wc_put_u32(r_payload + offsetof(bp_cmd_initialize, request_id), c->request_id);
			wc_put_u32(r_payload + offsetof(bp_cmd_initialize, pc), c->handle);
			wc_put_u32(r_payload + offsetof(bp_cmd_initialize, config_length), c->first.length);
			break;
		case BP_MSG_CREATE_DATA_CHANNEL:
			wc_put_u32(r_payload + offsetof(bp_cmd_create_data_channel, request_id), c->request_id);
			wc_put_u32(r_payload + offsetof(bp_cmd_create_data_channel, pc), c->handle);
			wc_put_u32(r_payload + offsetof(bp_cmd_create_data_channel, label_length), c->first.length);
			wc_put_u32(r_payload + offsetof(bp_cmd_create_data_channel, options_length), c->second.length);
			break;
		case BP_MSG_CREATE_OFFER:
			wc_put_u32(r_payload + offsetof(bp_cmd_peer_request, request_id), c->request_id);
			wc_put_u32(r_payload + offsetof(bp_cmd_peer_request, pc), c->handle);
			break;
		case BP_MSG_SET_LOCAL_DESCRIPTION:
		case BP_MSG_SET_REMOTE_DESCRIPTION:
			wc_put_u32(r_payload + offsetof(bp_cmd_set_description, request_id), c->request_id);
			wc_put_u32(r_payload + offsetof(bp_cmd_set_description, pc), c->handle);
			wc_put_u32(r_payload + offsetof(bp_cmd_set_description, type_length), c->first.length);
			wc_put_u32(r_payload + offsetof(bp_cmd_set_description, sdp_length), c->second.length);
			break;
		case BP_MSG_ADD_ICE_CANDIDATE: {
			wc_put_u32(r_payload + offsetof(bp_cmd_add_ice_candidate, request_id), c->request_id);
			wc_put_u32(r_payload + offsetof(bp_cmd_add_ice_candidate, pc), c->handle);
			memcpy(r_payload + offsetof(bp_cmd_add_ice_candidate, index), &c->index, sizeof(c->index));
			wc_put_u32(r_payload + offsetof(bp_cmd_add_ice_candidate, mid_length), c->first.length);
			wc_put_u32(r_payload + offsetof(bp_cmd_add_ice_candidate, candidate_length), c->second.length);
			break;
		}
		case BP_MSG_CLOSE_PEER:
		case BP_MSG_FREE_PEER:
		case BP_MSG_CLOSE_CHANNEL:
		case BP_MSG_FREE_CHANNEL:
			wc_put_u32(r_payload + offsetof(bp_cmd_handle, handle), c->handle);
			break;
		case BP_MSG_SEND:
			wc_put_u32(r_payload + offsetof(bp_cmd_send, ch), c->handle);
			wc_put_u32(r_payload + offsetof(bp_cmd_send, flags), c->flags);
			wc_put_u32(r_payload + offsetof(bp_cmd_send, data_length), c->first.length);
			break;
		case BP_MSG_GET_PEER_STATS:
		case BP_MSG_GET_CHANNEL_STATS:
			wc_put_u32(r_payload + offsetof(bp_cmd_stats_request, request_id), c->request_id);
			wc_put_u32(r_payload + offsetof(bp_cmd_stats_request, handle), c->handle);
			break;
		default:
			return;
	}
	wc_put_tails(r_payload + fixed, c);
}

/* ---- events ---- */

#define WC_BAD(p_reason)                                                                      \
	do {                                                                                      \
		*r_reason = (p_reason);                                                               \
		return BP_CORE_STATUS_INVALID_PARAMETER;                                              \
	} while (0)

/* Tails: fixed + the declared lengths must be exactly the record (64-bit sum: no overflow). */
static int wc_tails(const uint8_t *p_payload, uint32_t p_length, uint32_t p_fixed, uint32_t p_first,
		uint32_t p_second, wc_event *r_event) {
	if ((uint64_t)p_fixed + p_first + p_second != p_length) {
		return 0;
	}
	r_event->first.data = p_payload + p_fixed;
	r_event->first.length = p_first;
	r_event->second.data = p_payload + p_fixed + p_first;
	r_event->second.length = p_second;
	return 1;
}

static void wc_get_channel(const uint8_t *p_at, wc_event_channel *r_channel, uint32_t *r_label, uint32_t *r_protocol) {
	r_channel->id = wc_get_u32(p_at + offsetof(bp_channel_description, id));
	r_channel->max_packet_life_time = wc_get_u32(p_at + offsetof(bp_channel_description, max_packet_life_time));
	r_channel->max_retransmits = wc_get_u32(p_at + offsetof(bp_channel_description, max_retransmits));
	r_channel->max_message_size = wc_get_u32(p_at + offsetof(bp_channel_description, max_message_size));
	r_channel->flags = wc_get_u32(p_at + offsetof(bp_channel_description, flags));
	*r_label = wc_get_u32(p_at + offsetof(bp_channel_description, label_length));
	*r_protocol = wc_get_u32(p_at + offsetof(bp_channel_description, protocol_length));
}

static bp_core_status wc_decode_reply(const uint8_t *p, uint32_t p_length, wc_event *r_event, const char **r_reason) {
	if (p_length < BP_EVT_REPLY_SIZE) {
		WC_BAD("REPLY shorter than its header");
	}
	r_event->request_id = wc_get_u32(p + offsetof(bp_evt_reply, request_id));
	r_event->command = wc_get_u32(p + offsetof(bp_evt_reply, command));
	r_event->status = wc_get_u32(p + offsetof(bp_evt_reply, status));
	r_event->handle = wc_get_u32(p + offsetof(bp_evt_reply, handle));
	uint32_t label = 0;
	uint32_t protocol = 0;
	wc_get_channel(p + offsetof(bp_evt_reply, channel), &r_event->channel, &label, &protocol);
	if (r_event->status >= BP_CORE_STATUS_COUNT) {
		WC_BAD("REPLY status outside the core status set");
	}
	if (!wc_tails(p, p_length, BP_EVT_REPLY_SIZE, label, protocol, r_event)) {
		WC_BAD("REPLY lengths do not add up to the record");
	}
	return BP_CORE_STATUS_OK;
}

/* Longest address a candidate_summary may declare (protocol.json). */
#define WC_ADDRESS_MAX 255u

static void wc_get_candidate(const uint8_t *p_at, uint32_t *r_type, uint32_t *r_transport, uint32_t *r_port,
		uint32_t *r_address) {
	*r_type = wc_get_u32(p_at + offsetof(bp_candidate_summary, type));
	*r_transport = wc_get_u32(p_at + offsetof(bp_candidate_summary, transport));
	*r_port = wc_get_u32(p_at + offsetof(bp_candidate_summary, port));
	*r_address = wc_get_u32(p_at + offsetof(bp_candidate_summary, address_length));
}

static bp_core_status wc_decode_peer_stats(const uint8_t *p, uint32_t p_length, wc_event *r_event, const char **r_reason) {
	if (p_length < BP_EVT_PEER_STATS_SIZE) {
		WC_BAD("PEER_STATS shorter than its header");
	}
	wc_event_stats *s = &r_event->stats;
	r_event->request_id = wc_get_u32(p + offsetof(bp_evt_peer_stats, request_id));
	r_event->pc = wc_get_u32(p + offsetof(bp_evt_peer_stats, pc));
	s->connection_state = wc_get_u32(p + offsetof(bp_evt_peer_stats, connection_state));
	s->gathering_state = wc_get_u32(p + offsetof(bp_evt_peer_stats, gathering_state));
	s->signaling_state = wc_get_u32(p + offsetof(bp_evt_peer_stats, signaling_state));
	s->ice_state = wc_get_u32(p + offsetof(bp_evt_peer_stats, ice_state));
	s->dtls_state = wc_get_u32(p + offsetof(bp_evt_peer_stats, dtls_state));
	s->flags = wc_get_u32(p + offsetof(bp_evt_peer_stats, flags));
	s->connected_ms = wc_get_u64(p + offsetof(bp_evt_peer_stats, connected_ms));
	s->srtt_ms = wc_get_u32(p + offsetof(bp_evt_peer_stats, srtt_ms));
	s->bytes_sent = wc_get_u64(p + offsetof(bp_evt_peer_stats, bytes_sent));
	s->bytes_received = wc_get_u64(p + offsetof(bp_evt_peer_stats, bytes_received));
	s->packets_sent = wc_get_u64(p + offsetof(bp_evt_peer_stats, packets_sent));
	s->packets_received = wc_get_u64(p + offsetof(bp_evt_peer_stats, packets_received));
	uint32_t local = 0;
	uint32_t remote = 0;
	wc_get_candidate(p + offsetof(bp_evt_peer_stats, local), &s->local_type, &s->local_transport, &s->local_port, &local);
	wc_get_candidate(p + offsetof(bp_evt_peer_stats, remote), &s->remote_type, &s->remote_transport, &s->remote_port, &remote);
	if (s->connection_state > BP_CONNECTION_STATE_CLOSED || s->gathering_state > BP_GATHERING_STATE_COMPLETE ||
			s->signaling_state > BP_SIGNALING_STATE_CLOSED || s->ice_state > BP_ICE_STATE_CLOSED ||
			s->dtls_state > BP_DTLS_STATE_FAILED || s->local_type > BP_CANDIDATE_TYPE_RELAY ||
			s->remote_type > BP_CANDIDATE_TYPE_RELAY || s->local_transport > BP_CANDIDATE_TRANSPORT_TCP ||
			s->remote_transport > BP_CANDIDATE_TRANSPORT_TCP || s->local_port > 65535u || s->remote_port > 65535u) {
		WC_BAD("PEER_STATS value outside its enum or range");
	}
	if (local > WC_ADDRESS_MAX || remote > WC_ADDRESS_MAX) {
		WC_BAD("PEER_STATS address longer than 255 bytes");
	}
	if (!wc_tails(p, p_length, BP_EVT_PEER_STATS_SIZE, local, remote, r_event)) {
		WC_BAD("PEER_STATS lengths do not add up to the record");
	}
	return BP_CORE_STATUS_OK;
}

static bp_core_status wc_decode_channel_stats(const uint8_t *p, uint32_t p_length, wc_event *r_event,
		const char **r_reason) {
	if (p_length != BP_EVT_CHANNEL_STATS_SIZE) {
		WC_BAD("CHANNEL_STATS of the wrong size");
	}
	r_event->request_id = wc_get_u32(p + offsetof(bp_evt_channel_stats, request_id));
	r_event->ch = wc_get_u32(p + offsetof(bp_evt_channel_stats, ch));
	r_event->stats.messages_sent = wc_get_u64(p + offsetof(bp_evt_channel_stats, messages_sent));
	r_event->stats.bytes_sent = wc_get_u64(p + offsetof(bp_evt_channel_stats, bytes_sent));
	r_event->stats.messages_received = wc_get_u64(p + offsetof(bp_evt_channel_stats, messages_received));
	r_event->stats.bytes_received = wc_get_u64(p + offsetof(bp_evt_channel_stats, bytes_received));
	return BP_CORE_STATUS_OK;
}

bp_core_status wc_wire_decode_event(uint32_t p_type, const uint8_t *p_payload, uint32_t p_length, wc_event *r_event,
		const char **r_reason) {
	const uint8_t *p = p_payload;
	memset(r_event, 0, sizeof(*r_event));
	r_event->type = p_type;
	*r_reason = NULL;
	switch (p_type) {
		case BP_MSG_HELLO:
			if (p_length < BP_EVT_HELLO_SIZE) {
				WC_BAD("HELLO shorter than its header");
			}
			r_event->version = wc_get_u32(p + offsetof(bp_evt_hello, version));
			r_event->features = wc_get_u32(p + offsetof(bp_evt_hello, features));
			r_event->pid = wc_get_u32(p + offsetof(bp_evt_hello, pid));
			if (!wc_tails(p, p_length, BP_EVT_HELLO_SIZE, wc_get_u32(p + offsetof(bp_evt_hello, stack_length)), 0, r_event)) {
				WC_BAD("HELLO lengths do not add up to the record");
			}
			return BP_CORE_STATUS_OK;
		case BP_MSG_REPLY:
			return wc_decode_reply(p, p_length, r_event, r_reason);
		case BP_MSG_PEER_STATS:
			return wc_decode_peer_stats(p, p_length, r_event, r_reason);
		case BP_MSG_CHANNEL_STATS:
			return wc_decode_channel_stats(p, p_length, r_event, r_reason);
		case BP_MSG_DESCRIPTION:
			if (p_length < BP_EVT_DESCRIPTION_SIZE) {
				WC_BAD("DESCRIPTION shorter than its header");
			}
			r_event->pc = wc_get_u32(p + offsetof(bp_evt_description, pc));
			r_event->description_type = wc_get_u32(p + offsetof(bp_evt_description, type));
			if (r_event->description_type != BP_DESCRIPTION_TYPE_OFFER && r_event->description_type != BP_DESCRIPTION_TYPE_ANSWER) {
				WC_BAD("DESCRIPTION type is neither offer nor answer");
			}
			if (!wc_tails(p, p_length, BP_EVT_DESCRIPTION_SIZE, wc_get_u32(p + offsetof(bp_evt_description, sdp_length)), 0, r_event)) {
				WC_BAD("DESCRIPTION lengths do not add up to the record");
			}
			return BP_CORE_STATUS_OK;
		case BP_MSG_CANDIDATE:
			if (p_length < BP_EVT_CANDIDATE_SIZE) {
				WC_BAD("CANDIDATE shorter than its header");
			}
			r_event->pc = wc_get_u32(p + offsetof(bp_evt_candidate, pc));
			r_event->index = wc_get_u32(p + offsetof(bp_evt_candidate, index));
			if (!wc_tails(p, p_length, BP_EVT_CANDIDATE_SIZE, wc_get_u32(p + offsetof(bp_evt_candidate, mid_length)),
						wc_get_u32(p + offsetof(bp_evt_candidate, candidate_length)), r_event)) {
				WC_BAD("CANDIDATE lengths do not add up to the record");
			}
			return BP_CORE_STATUS_OK;
		case BP_MSG_CONNECTION_STATE:
		case BP_MSG_GATHERING_STATE:
		case BP_MSG_SIGNALING_STATE:
			if (p_length != BP_EVT_PEER_STATE_SIZE) {
				WC_BAD("peer state record of the wrong size");
			}
			r_event->pc = wc_get_u32(p + offsetof(bp_evt_peer_state, pc));
			r_event->state = wc_get_u32(p + offsetof(bp_evt_peer_state, state));
			if ((p_type == BP_MSG_CONNECTION_STATE && r_event->state > BP_CONNECTION_STATE_CLOSED) ||
					(p_type == BP_MSG_GATHERING_STATE && r_event->state > BP_GATHERING_STATE_COMPLETE) ||
					(p_type == BP_MSG_SIGNALING_STATE && r_event->state > BP_SIGNALING_STATE_CLOSED)) {
				WC_BAD("peer state outside its Godot enum");
			}
			return BP_CORE_STATUS_OK;
		case BP_MSG_CHANNEL_RECEIVED: {
			if (p_length < BP_EVT_CHANNEL_RECEIVED_SIZE) {
				WC_BAD("CHANNEL_RECEIVED shorter than its header");
			}
			r_event->pc = wc_get_u32(p + offsetof(bp_evt_channel_received, pc));
			r_event->ch = wc_get_u32(p + offsetof(bp_evt_channel_received, ch));
			uint32_t label = 0;
			uint32_t protocol = 0;
			wc_get_channel(p + offsetof(bp_evt_channel_received, channel), &r_event->channel, &label, &protocol);
			if (!wc_tails(p, p_length, BP_EVT_CHANNEL_RECEIVED_SIZE, label, protocol, r_event)) {
				WC_BAD("CHANNEL_RECEIVED lengths do not add up to the record");
			}
			return BP_CORE_STATUS_OK;
		}
		case BP_MSG_CHANNEL_STATE:
			if (p_length != BP_EVT_CHANNEL_STATE_SIZE) {
				WC_BAD("CHANNEL_STATE of the wrong size");
			}
			r_event->ch = wc_get_u32(p + offsetof(bp_evt_channel_state, ch));
			r_event->state = wc_get_u32(p + offsetof(bp_evt_channel_state, state));
			r_event->id = wc_get_u32(p + offsetof(bp_evt_channel_state, id));
			r_event->max_message_size = wc_get_u32(p + offsetof(bp_evt_channel_state, max_message_size));
			if (r_event->state > BP_CHANNEL_STATE_CLOSED) {
				WC_BAD("CHANNEL_STATE outside WebRTCDataChannel.ChannelState");
			}
			return BP_CORE_STATUS_OK;
		case BP_MSG_MESSAGE:
			if (p_length < BP_EVT_MESSAGE_SIZE) {
				WC_BAD("MESSAGE shorter than its header");
			}
			r_event->ch = wc_get_u32(p + offsetof(bp_evt_message, ch));
			r_event->flags = wc_get_u32(p + offsetof(bp_evt_message, flags));
			if (!wc_tails(p, p_length, BP_EVT_MESSAGE_SIZE, wc_get_u32(p + offsetof(bp_evt_message, data_length)), 0, r_event)) {
				WC_BAD("MESSAGE lengths do not add up to the record");
			}
			return BP_CORE_STATUS_OK;
		case BP_MSG_CHANNEL_BUFFERED:
			if (p_length != BP_EVT_CHANNEL_BUFFERED_SIZE) {
				WC_BAD("CHANNEL_BUFFERED of the wrong size");
			}
			r_event->ch = wc_get_u32(p + offsetof(bp_evt_channel_buffered, ch));
			r_event->sent = wc_get_u64(p + offsetof(bp_evt_channel_buffered, sent));
			r_event->buffered = wc_get_u64(p + offsetof(bp_evt_channel_buffered, buffered));
			return BP_CORE_STATUS_OK;
		case BP_MSG_LOG:
			if (p_length < BP_EVT_LOG_SIZE) {
				WC_BAD("LOG shorter than its header");
			}
			r_event->pc = wc_get_u32(p + offsetof(bp_evt_log, pc));
			r_event->level = wc_get_u32(p + offsetof(bp_evt_log, level));
			if (!wc_tails(p, p_length, BP_EVT_LOG_SIZE, wc_get_u32(p + offsetof(bp_evt_log, message_length)), 0, r_event)) {
				WC_BAD("LOG lengths do not add up to the record");
			}
			return BP_CORE_STATUS_OK;
		default:
			WC_BAD("unknown event kind");
	}
}
