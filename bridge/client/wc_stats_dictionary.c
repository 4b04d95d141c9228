/* get_stats()'s two Dictionaries, key by key (README.md, "Connection stats"): the one place
 * that names the keys and picks each value's type on the C side. Both shims and the test
 * binding hand in a wc_dictionary_sink that knows how to make their engine's values. */
#include <string.h>

#include "wc.h"

static void wc_put_name(const wc_dictionary_sink *p_sink, void *p_dictionary, const char *p_key, const char *p_name) {
	const char *name = p_name != NULL ? p_name : "";
	p_sink->put_text(p_sink->user, p_dictionary, p_key, name, strlen(name));
}

static void wc_write_candidate(const wc_dictionary_sink *p_sink, void *p_dictionary, const void *p_side) {
	const wc_candidate_stats *side = p_side;
	wc_put_name(p_sink, p_dictionary, "type", side->type);
	wc_put_name(p_sink, p_dictionary, "address", side->address);
	p_sink->put_int(p_sink->user, p_dictionary, "port", side->port);
	wc_put_name(p_sink, p_dictionary, "transport", side->transport);
}

/* {"local": {...}, "remote": {...}}, or {} when no pair is selected. */
static void wc_write_pair(const wc_dictionary_sink *p_sink, void *p_dictionary, const void *p_stats) {
	const wc_peer_stats *stats = p_stats;
	if (stats->has_selected_pair) {
		p_sink->put_dictionary(p_sink, p_dictionary, "local", wc_write_candidate, &stats->local);
		p_sink->put_dictionary(p_sink, p_dictionary, "remote", wc_write_candidate, &stats->remote);
	}
}

void wc_peer_stats_write(const wc_peer_stats *p_stats, const wc_dictionary_sink *p_sink, void *p_dictionary) {
	void *user = p_sink->user;
	wc_put_name(p_sink, p_dictionary, "connection_state", p_stats->connection_state);
	wc_put_name(p_sink, p_dictionary, "ice_state", p_stats->ice_state);
	wc_put_name(p_sink, p_dictionary, "dtls_state", p_stats->dtls_state);
	wc_put_name(p_sink, p_dictionary, "gathering_state", p_stats->gathering_state);
	wc_put_name(p_sink, p_dictionary, "signaling_state", p_stats->signaling_state);
	p_sink->put_int(user, p_dictionary, "connected_msec", p_stats->connected_msec);
	p_sink->put_float(user, p_dictionary, "rtt_msec", p_stats->rtt_msec);
	p_sink->put_float(user, p_dictionary, "rtt_smoothed_msec", p_stats->rtt_smoothed_msec);
	p_sink->put_int(user, p_dictionary, "bytes_sent", p_stats->bytes_sent);
	p_sink->put_int(user, p_dictionary, "bytes_received", p_stats->bytes_received);
	p_sink->put_int(user, p_dictionary, "packets_sent", p_stats->packets_sent);
	p_sink->put_int(user, p_dictionary, "packets_received", p_stats->packets_received);
	p_sink->put_dictionary(p_sink, p_dictionary, "selected_pair", wc_write_pair, p_stats);
}

void wc_channel_stats_write(const wc_channel_stats *p_stats, const wc_dictionary_sink *p_sink, void *p_dictionary) {
	void *user = p_sink->user;
	p_sink->put_text(user, p_dictionary, "label", p_stats->label.data != NULL ? p_stats->label.data : "", p_stats->label.length);
	p_sink->put_int(user, p_dictionary, "id", p_stats->id);
	wc_put_name(p_sink, p_dictionary, "ready_state", p_stats->ready_state);
	p_sink->put_int(user, p_dictionary, "messages_sent", p_stats->messages_sent);
	p_sink->put_int(user, p_dictionary, "bytes_sent", p_stats->bytes_sent);
	p_sink->put_int(user, p_dictionary, "messages_received", p_stats->messages_received);
	p_sink->put_int(user, p_dictionary, "bytes_received", p_stats->bytes_received);
	p_sink->put_int(user, p_dictionary, "buffered_amount", p_stats->buffered_amount);
	p_sink->put_int(user, p_dictionary, "dropped_packets", p_stats->dropped_packets);
}
