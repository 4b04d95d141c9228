/* Ring I/O for the client: commands out, events in, synchronous waits.
 *
 * Commands go straight into the COMMANDS ring (reserve, encode in place, commit, publish):
 * a memcpy and, only when the worker said it sleeps, one doorbell byte. When the ring is
 * full the record waits in local memory (the overflow list) and every later command queues
 * behind it, so order is kept; each call moves what fits (wc_link_flush). Put_packet's BUSY
 * comes from the send accounting (BP_SEND_LIMIT_BYTES), as in the facade, never from the
 * ring's size.
 *
 * Events are applied as they are read; the record's bytes are copied out before the
 * consumer position is published (once per drain). A drain that meets the REPLY being
 * awaited stops right after it, so the caller registers what the reply created (a channel
 * handle) before any later event about it is applied.
 *
 * Synchronous calls spin for WC_SPIN_NS, then sleep on the doorbell with the ring layer's
 * prepare/recheck protocol (consumer_sleeping on EVENTS, plus producer_waiting on COMMANDS
 * while commands wait for room), until the reply, the timeout or the worker's death.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../ring/region.h"
#include "wc_private.h"

static void wc_ring_doorbell(void) {
	wc_g.stats.doorbell_rings++;
	wc_os_ring(&wc_g.worker.os);
}

static const char *wc_command_name(uint32_t p_type) {
	switch (p_type) {
		case BP_MSG_CREATE_PEER: return "WebRTCPeerConnection.new";
		case BP_MSG_INITIALIZE: return "initialize";
		case BP_MSG_CREATE_DATA_CHANNEL: return "create_data_channel";
		case BP_MSG_CREATE_OFFER: return "create_offer";
		case BP_MSG_SET_LOCAL_DESCRIPTION: return "set_local_description";
		case BP_MSG_SET_REMOTE_DESCRIPTION: return "set_remote_description";
		case BP_MSG_ADD_ICE_CANDIDATE: return "add_ice_candidate";
		case BP_MSG_GET_PEER_STATS: return "WebRTCPeerConnection.get_stats";
		case BP_MSG_GET_CHANNEL_STATS: return "WebRTCDataChannel.get_stats";
		default: return "a call";
	}
}

bp_status wc_link_attach(wc_worker *p_worker) {
	const br_shm *shm = &p_worker->shm;
	br_ring commands;
	br_ring events;
	bp_status status = br_region_ring(shm->base, shm->size, BP_RING_COMMANDS, &commands);
	if (status == BP_STATUS_OK) {
		status = br_region_ring(shm->base, shm->size, BP_RING_EVENTS, &events);
	}
	if (status == BP_STATUS_OK) {
		status = br_producer_init(&wc_g.commands, &commands);
	}
	if (status == BP_STATUS_OK) {
		status = br_consumer_init(&wc_g.events, &events);
	}
	if (status == BP_STATUS_OK) {
		p_worker->heartbeat = &commands.control->consumer_heartbeat;
	}
	return status;
}

uint8_t *wc_link_begin(uint32_t p_type, uint32_t p_length) {
	if (!wc_g.running) {
		return NULL;
	}
	wc_g.writing_type = p_type;
	wc_g.writing_length = p_length;
	wc_g.writing_node = NULL;
	if (wc_g.overflow_head == NULL) {
		void *at = NULL;
		bp_status status = br_producer_reserve(&wc_g.commands, p_length, &at);
		if (status == BP_STATUS_OK) {
			return at;
		}
		if (status == BP_STATUS_TOO_LARGE || status == BP_STATUS_INVALID_ARGUMENT) {
			wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: a %u-byte command does not fit one record", p_length);
			return NULL;
		}
		if (status != BP_STATUS_FULL) {
			wc_lost("left its commands ring corrupt and was killed");
			return NULL;
		}
	}
	wc_pending *node = malloc(sizeof(*node) + p_length);
	if (node == NULL) {
		wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: out of memory queueing a %u-byte command", p_length);
		return NULL;
	}
	node->next = NULL;
	node->type = p_type;
	node->length = p_length;
	wc_g.writing_node = node;
	return node->bytes;
}

void wc_link_end(void) {
	wc_g.stats.commands++;
	wc_pending *node = wc_g.writing_node;
	if (node != NULL) {
		wc_g.writing_node = NULL;
		if (wc_g.overflow_tail != NULL) {
			wc_g.overflow_tail->next = node;
		} else {
			wc_g.overflow_head = node;
		}
		wc_g.overflow_tail = node;
		wc_g.stats.overflowed++;
		return;
	}
	br_producer_commit(&wc_g.commands, wc_g.writing_type, wc_g.writing_length);
	if (br_producer_publish(&wc_g.commands)) {
		wc_ring_doorbell();
	}
}

bool wc_link_send(const wc_command *p_command) {
	uint64_t length = wc_wire_command_length(p_command);
	if (length == 0 || length > BP_RECORD_MAX_PAYLOAD) {
		return false;
	}
	uint8_t *at = wc_link_begin(p_command->type, (uint32_t)length);
	if (at == NULL) {
		return false;
	}
	wc_wire_encode_command(p_command, at);
	wc_link_end();
	return true;
}

void wc_link_flush(void) {
	bool moved = false;
	while (wc_g.running && wc_g.overflow_head != NULL) {
		wc_pending *node = wc_g.overflow_head;
		void *at = NULL;
		bp_status status = br_producer_reserve(&wc_g.commands, node->length, &at);
		if (status == BP_STATUS_FULL) {
			break;
		}
		if (status != BP_STATUS_OK) {
			wc_lost("left its commands ring corrupt and was killed");
			return;
		}
		memcpy(at, node->bytes, node->length);
		br_producer_commit(&wc_g.commands, node->type, node->length);
		wc_g.overflow_head = node->next;
		if (wc_g.overflow_head == NULL) {
			wc_g.overflow_tail = NULL;
		}
		free(node);
		moved = true;
	}
	if (moved && br_producer_publish(&wc_g.commands)) {
		wc_ring_doorbell();
	}
}

/* Give back what a REPLY created (a peer or a channel), which nobody will name. */
static void wc_link_free_created(const wc_event *p_event) {
	if (p_event->status == BP_CORE_STATUS_OK && p_event->handle != 0) {
		wc_command free_it = { .handle = p_event->handle };
		free_it.type = p_event->command == BP_MSG_CREATE_PEER ? BP_MSG_FREE_PEER : BP_MSG_FREE_CHANNEL;
		if (p_event->command == BP_MSG_CREATE_PEER || p_event->command == BP_MSG_CREATE_DATA_CHANNEL) {
			wc_link_send(&free_it);
		}
	}
}

/* A REPLY: the awaited one fills wc_g.reply; a late one (its call timed out) gives back
 * whatever it created, so the core does not keep an object nobody can name. */
static bool wc_link_on_reply(const wc_event *p_event) {
	wc_reply *reply = &wc_g.reply;
	if (reply->awaited != 0 && p_event->request_id == reply->awaited) {
		reply->awaited = 0;
		reply->received = true;
		reply->status = (wc_status)p_event->status;
		reply->handle = p_event->handle;
		reply->channel = p_event->channel;
		if (!wc_str_set(&reply->label, p_event->first.data, p_event->first.length) ||
				!wc_str_set(&reply->protocol, p_event->second.data, p_event->second.length)) {
			wc_str_free(&reply->label);
			wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: out of memory reading the answer to %s; the call fails",
					wc_command_name(p_event->command));
			wc_link_free_created(p_event);
			reply->status = BP_CORE_STATUS_INTERNAL;
			reply->handle = 0;
		}
		return true;
	}
	wc_link_free_created(p_event);
	return false;
}

void (*wc_test_event_tap)(const wc_event *p_event);
bool wc_test_hold_events;

bool wc_link_drain(void) {
	if (!wc_g.running || wc_test_hold_events) {
		return false;
	}
	bool stop = false;
	uint32_t count = 0;
	while (!stop) {
		br_record record;
		bp_status status = br_consumer_peek(&wc_g.events, &record);
		if (status == BP_STATUS_EMPTY) {
			break;
		}
		if (status != BP_STATUS_OK) {
			wc_lost("left its events ring corrupt and was killed");
			return false;
		}
		wc_event event;
		const char *why = NULL;
		if (wc_wire_decode_event(record.type, record.payload, record.length, &event, &why) != BP_CORE_STATUS_OK) {
			wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: a record from the worker (kind %u, %u bytes) is corrupt: %s; ignored",
					record.type, record.length, why);
		} else {
			if (wc_test_event_tap != NULL) {
				wc_test_event_tap(&event);
			}
			if (event.type == BP_MSG_REPLY) {
				stop = wc_link_on_reply(&event);
			} else {
				wc_events_apply(&event);
			}
		}
		br_consumer_advance(&wc_g.events);
		count++;
		if (!wc_g.running) {
			return false;
		}
	}
	wc_g.stats.events += count;
	if (count != 0 && br_consumer_publish(&wc_g.events)) {
		wc_ring_doorbell();
	}
	return stop;
}

int wc_link_sleep(int p_timeout_ms, bool p_need_room) {
	if (!br_consumer_prepare_sleep(&wc_g.events)) {
		return 1; /* events are waiting */
	}
	bool waiting = false;
	if (p_need_room && wc_g.overflow_head != NULL) {
		waiting = br_producer_prepare_wait(&wc_g.commands, wc_g.overflow_head->length);
		if (!waiting) {
			br_consumer_end_sleep(&wc_g.events);
			return 1; /* room is there */
		}
	}
	wc_g.stats.doorbell_waits++;
	int rc = wc_os_doorbell_wait(&wc_g.worker.os, p_timeout_ms);
	br_consumer_end_sleep(&wc_g.events);
	if (waiting) {
		br_producer_end_wait(&wc_g.commands);
	}
	return rc;
}

wc_status wc_link_call(wc_command *p_command) {
	if (!wc_g.running) {
		return BP_CORE_STATUS_NO_WORKER;
	}
	uint32_t id = wc_g.next_request++;
	if (id == 0) {
		id = wc_g.next_request++;
	}
	p_command->request_id = id;
	wc_reply *reply = &wc_g.reply;
	wc_str_free(&reply->label);
	wc_str_free(&reply->protocol);
	memset(reply, 0, sizeof(*reply));
	reply->awaited = id;
	if (!wc_link_send(p_command)) {
		reply->awaited = 0;
		return BP_CORE_STATUS_NO_WORKER;
	}
	int32_t timeout = wc_g.call_timeout_ms > 0 ? wc_g.call_timeout_ms : WC_CALL_TIMEOUT_MS_DEFAULT;
	uint64_t start = wc_now_ns();
	uint64_t deadline = start + (uint64_t)timeout * 1000000ull;
	for (;;) {
		if (atomic_load_explicit(&wc_g.worker.dead, memory_order_acquire)) {
			wc_lost(NULL);
		}
		if (wc_g.running && wc_g.overflow_head != NULL) {
			wc_link_flush();
		}
		if (wc_link_drain()) {
			return BP_CORE_STATUS_OK;
		}
		if (!wc_g.running) {
			reply->awaited = 0;
			return BP_CORE_STATUS_NO_WORKER;
		}
		uint64_t now = wc_now_ns();
		if (now >= deadline) {
			reply->awaited = 0;
			wc_log(BP_LOG_LEVEL_ERROR, "godot-webrtc: the WebRTC worker did not answer %s within %d ms",
					wc_command_name(p_command->type), (int)timeout);
			return BP_CORE_STATUS_TIMEOUT;
		}
		if (now - start < WC_SPIN_NS) {
			continue;
		}
		if (wc_link_sleep((int)((deadline - now) / 1000000ull) + 1, true) < 0) {
			wc_lost(NULL);
			reply->awaited = 0;
			return BP_CORE_STATUS_NO_WORKER;
		}
	}
}
