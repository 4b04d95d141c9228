/* The client's half of the wire format (bridge/protocol/protocol.json): commands encoded
 * into ring payloads, event payloads decoded and checked. Pure functions: no state, no
 * system calls, no lock. A decoder never reads outside [payload, payload + length) and
 * reports an impossible layout as INVALID_PARAMETER with a reason, never a crash. */
#ifndef BRIDGE_WC_WIRE_H
#define BRIDGE_WC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "../protocol/bridge_protocol.h"

typedef struct wc_bytes {
	const uint8_t *data;
	uint32_t length;
} wc_bytes;

/* A command before encoding. Which fields count depends on type (BP_MSG_*):
 *   CREATE_PEER                      request_id
 *   INITIALIZE                       request_id handle(pc) first=config
 *   CREATE_DATA_CHANNEL              request_id handle(pc) first=label second=options
 *   CREATE_OFFER                     request_id handle(pc)
 *   SET_LOCAL/REMOTE_DESCRIPTION     request_id handle(pc) first=type second=sdp
 *   ADD_ICE_CANDIDATE                request_id handle(pc) index first=mid second=candidate
 *   CLOSE/FREE_PEER, CLOSE/FREE_CHANNEL   handle
 *   SEND                             handle(ch) flags first=data
 *   GET_PEER_STATS, GET_CHANNEL_STATS   request_id handle */
typedef struct wc_command {
	uint32_t type;
	uint32_t request_id;
	uint32_t handle;
	uint32_t flags;
	int64_t index;
	wc_bytes first;
	wc_bytes second;
} wc_command;

/* Payload bytes of the encoded command (fixed part + tails); 0 for an unknown type. */
uint64_t wc_wire_command_length(const wc_command *p_command);
/* Encode into r_payload (wc_wire_command_length bytes, 8-byte aligned). */
void wc_wire_encode_command(const wc_command *p_command, uint8_t *r_payload);
/* Whether a command kind waits for a REPLY. */
int wc_wire_is_sync(uint32_t p_type);

typedef struct wc_event_channel {
	uint32_t id;
	uint32_t max_packet_life_time;
	uint32_t max_retransmits;
	uint32_t max_message_size;
	uint32_t flags;
} wc_event_channel;

/* PEER_STATS and CHANNEL_STATS (protocol.json evt_peer_stats, evt_channel_stats); the
 * channel's counters are messages_* and bytes_*. Enum values are checked by the decoder. */
typedef struct wc_event_stats {
	uint32_t connection_state, gathering_state, signaling_state, ice_state, dtls_state, flags, srtt_ms;
	uint64_t connected_ms, bytes_sent, bytes_received, packets_sent, packets_received;
	uint64_t messages_sent, messages_received;
	uint32_t local_type, local_transport, local_port;
	uint32_t remote_type, remote_transport, remote_port;
} wc_event_stats;

/* A decoded event; strings and bytes point into the record (copy before publishing). */
typedef struct wc_event {
	uint32_t type; /* BP_MSG_* */
	uint32_t pc;
	uint32_t ch;
	uint32_t state; /* peer states; CHANNEL_STATE */
	uint32_t index; /* CANDIDATE */
	uint32_t id; /* CHANNEL_STATE */
	uint32_t max_message_size; /* CHANNEL_STATE */
	uint32_t flags; /* MESSAGE */
	uint32_t level; /* LOG */
	uint32_t description_type; /* DESCRIPTION */
	uint32_t request_id, command, status, handle; /* REPLY */
	uint32_t version, features, pid; /* HELLO */
	uint64_t sent, buffered; /* CHANNEL_BUFFERED */
	wc_event_channel channel; /* REPLY (create_data_channel), CHANNEL_RECEIVED */
	wc_event_stats stats; /* PEER_STATS, CHANNEL_STATS (with request_id, and pc or ch) */
	wc_bytes first; /* sdp | mid | label | data | message | stack | local address */
	wc_bytes second; /* candidate | protocol | remote address */
} wc_event;

/* BP_CORE_STATUS_OK, or INVALID_PARAMETER with a static reason in *r_reason. */
bp_core_status wc_wire_decode_event(uint32_t p_type, const uint8_t *p_payload, uint32_t p_length, wc_event *r_event,
		const char **r_reason);

#endif /* BRIDGE_WC_WIRE_H */
