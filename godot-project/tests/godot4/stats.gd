# get_stats() on WebRTCPeerConnection and WebRTCDataChannel (README.md, "Connection stats"):
# a method of the addon's classes, so it is called on untyped variables and through
# call("get_stats"); on a new connection, on a pair connected over 127.0.0.1 (host/host
# pair, exact message and byte counts, 0 < RTT < 1000 ms), on the channels, after close().
extends "res://tests/godot4/lib/scene.gd"

const SIZES := [10, 20, 30, 40, 50, 1, 1, 1]
const BYTES := 153
const PEER_KEYS := ["bytes_received", "bytes_sent", "connected_msec", "connection_state", "dtls_state",
		"gathering_state", "ice_state", "packets_received", "packets_sent", "rtt_msec", "rtt_smoothed_msec",
		"selected_pair", "signaling_state"]
const CHANNEL_KEYS := ["buffered_amount", "bytes_received", "bytes_sent", "dropped_packets", "id", "label",
		"messages_received", "messages_sent", "ready_state"]

var pair: Pair
var pa # untyped: get_stats() is the addon's method, not WebRTCPeerConnection's
var channel
var remote
var read := 0


func _initialize() -> void:
	c = Check.new("stats")
	var fresh = WebRTCPeerConnection.new()
	var s = fresh.get_stats()
	c.eq(typeof(s), TYPE_DICTIONARY, "new connection: get_stats() is a Dictionary")
	c.eq(_sorted_keys(s), PEER_KEYS, "the peer keys")
	c.eq([s.connection_state, s.ice_state, s.dtls_state, s.gathering_state, s.signaling_state],
			["new", "new", "new", "new", "stable"], "new connection: states")
	c.eq([s.connected_msec, s.bytes_sent, s.bytes_received, s.packets_sent, s.packets_received], [0, 0, 0, 0, 0],
			"new connection: int counters 0")
	c.eq([typeof(s.rtt_msec), s.rtt_msec], [TYPE_FLOAT, 0.0], "new connection: rtt_msec is a float, 0")
	c.eq(s.selected_pair, {}, "new connection: no selected pair")

	pair = Pair.new()
	pa = pair.a
	c.eq(pair.setup(), [OK, OK], "initialize() both")
	channel = pair.a.create_data_channel("stats")
	if not c.ok(pair.connect_pair() and pair.open([channel]) and Check.pump([pair], _remote_open), "connected, the channel OPEN on both sides"):
		c.finish(self)
		return
	remote = pair.received_channel("b", "stats")
	# Spaced out, so SCTP measures an RTT from each delayed SACK.
	for i in range(SIZES.size()):
		var bytes := PackedByteArray()
		bytes.resize(SIZES[i])
		c.eq(channel.put_packet(bytes), OK, "put_packet %d" % i)
		Check.pump_for([pair], 30)
	c.ok(Check.pump([pair], _all_read, 10000), "b read all %d messages and a's RTT is measured" % SIZES.size())

	var sa = pa.get_stats()
	var sb = pair.b.call("get_stats")
	c.eq(typeof(sb), TYPE_DICTIONARY, "pc.call(\"get_stats\") is a Dictionary")
	c.eq([sa.connection_state, sa.dtls_state, sa.gathering_state, sa.signaling_state],
			["connected", "connected", "complete", "stable"], "a: connection / DTLS / gathering / signaling")
	c.ok(sa.ice_state == "connected" or sa.ice_state == "completed", "a: ICE connected or completed (%s)" % sa.ice_state)
	c.ok(typeof(sa.rtt_msec) == TYPE_FLOAT and sa.rtt_msec > 0.0 and sa.rtt_msec < 1000.0,
			"a: 0 < rtt_msec < 1000 (%s)" % str(sa.rtt_msec))
	c.eq(sa.rtt_smoothed_msec, sa.rtt_msec, "a: rtt_smoothed_msec is the same number")
	c.ok(typeof(sa.connected_msec) == TYPE_INT and sa.connected_msec > 0, "a: connected_msec > 0 (%s)" % str(sa.connected_msec))
	c.eq([sa.bytes_sent, sb.bytes_received, sa.packets_sent, sb.packets_received], [BYTES, BYTES, SIZES.size(), SIZES.size()],
			"a sent and b received exactly %d bytes in %d messages" % [BYTES, SIZES.size()])
	c.eq([sa.bytes_received, sa.packets_received, sb.bytes_sent, sb.packets_sent], [0, 0, 0, 0], "nothing went b -> a")
	var local: Dictionary = sa.selected_pair.get("local", {})
	var far: Dictionary = sa.selected_pair.get("remote", {})
	c.eq([local.get("type"), local.get("address"), local.get("transport")], ["host", "127.0.0.1", "udp"], "a: local candidate")
	c.eq([far.get("type"), far.get("address"), far.get("transport")], ["host", "127.0.0.1", "udp"], "a: remote candidate")
	c.ok(typeof(local.get("port")) == TYPE_INT and local.get("port") > 0, "a: local port is an int > 0")
	c.eq(local.get("port"), sb.selected_pair.get("remote", {}).get("port"), "a's local port is b's remote port")

	var ca = channel.get_stats()
	c.eq(_sorted_keys(ca), CHANNEL_KEYS, "the channel keys")
	c.eq([ca.label, ca.id, ca.ready_state], ["stats", channel.get_id(), "open"], "channel: label, id, ready_state")
	c.eq([ca.messages_sent, ca.bytes_sent, ca.messages_received, ca.bytes_received, ca.dropped_packets],
			[SIZES.size(), BYTES, 0, 0, 0], "channel a: counters")
	var cb = remote.call("get_stats")
	c.eq([cb.messages_received, cb.bytes_received, cb.messages_sent], [SIZES.size(), BYTES, 0], "channel b: counters")

	pa.close()
	var closed = pa.get_stats()
	c.eq([closed.connection_state, closed.ice_state, closed.dtls_state, closed.signaling_state],
			["closed", "closed", "closed", "closed"], "after close(): states closed")
	c.eq([closed.rtt_msec, closed.connected_msec, closed.bytes_sent], [0.0, 0, BYTES], "after close(): no RTT, the byte count kept")
	c.eq(closed.selected_pair, {}, "after close(): no selected pair")
	c.eq(channel.get_stats().ready_state, "closed", "after close(): the channel reports closed")
	c.note("a: rtt %s ms, connected %s ms" % [str(sa.rtt_msec), str(sa.connected_msec)])
	c.finish(self)


func _sorted_keys(p_dictionary: Dictionary) -> Array:
	var keys := p_dictionary.keys()
	keys.sort()
	return keys


func _remote_open() -> bool:
	var r := pair.received_channel("b", "stats")
	return r != null and r.get_ready_state() == WebRTCDataChannel.STATE_OPEN


func _all_read() -> bool:
	while remote.get_available_packet_count() > 0:
		remote.get_packet()
		read += 1
	return read == SIZES.size() and pa.get_stats().rtt_msec > 0.0
