# The measures with both peers in this Godot, on the bench pair (lib/pair.gd with a reliable
# channel "rel" and an unreliable one "unrel"). Each loop is the one the C client runs
# without Godot (scripts/bench/godot/client_peer.c), call for call, as the Godot 3 scene
# does (bench/godot3/), so the difference is what the engine and the shim add. Every loop is
# bounded in count and in time.
extends RefCounted

const WINDOW = 1 << 20 # bytes in flight, as in scripts/bench/core-vs-ndc.ts
const STALL_USEC = 200000 # an unreliable window with nothing arriving this long is lost
const IDLE_USEC = 50 # the sleep of a loop iteration that moved nothing
const MARK_BEGIN = "/nonexistent-godot-webrtc-bench/steady-begin"
const MARK_END = "/nonexistent-godot-webrtc-bench/steady-end"


static func payload(p_size, p_fill):
	var out = PackedByteArray()
	out.resize(p_size)
	for i in range(p_size):
		out[i] = p_fill
	return out


static func median(p_values):
	if p_values.is_empty():
		return 0.0
	var sorted = p_values.duplicate()
	sorted.sort()
	return sorted[int(sorted.size() / 2)]


# Everything waiting on p_rx: [messages, bytes].
static func drain(p_rx):
	var messages = 0
	var bytes = 0
	var count = p_rx.get_available_packet_count()
	for i in range(count):
		bytes += p_rx.get_packet().size()
		messages += 1
	return [messages, bytes]


# Read until nothing has arrived for 100 ms (5 s at most): the next measure starts empty.
static func settle(p_pair, p_rx):
	var deadline = Time.get_ticks_msec() + 5000
	var quiet_since = Time.get_ticks_msec()
	while Time.get_ticks_msec() < deadline and Time.get_ticks_msec() - quiet_since < 100:
		p_pair.poll()
		if drain(p_rx)[0] > 0:
			quiet_since = Time.get_ticks_msec()
		OS.delay_msec(1)


# Stream p_size-byte messages a -> b for p_ms with at most WINDOW bytes in flight.
static func throughput(p_pair, p_size, p_reliable, p_ms):
	var tx = p_pair.channels_a["rel" if p_reliable else "unrel"]
	var rx = p_pair.channels_b["rel" if p_reliable else "unrel"]
	var data = payload(p_size, 7)
	var sent = 0
	var got = 0
	var messages = 0
	var lost = 0
	var start = Time.get_ticks_usec()
	var end = start + p_ms * 1000
	var now = start
	var last = start
	while now < end:
		p_pair.poll()
		var progress = false
		while sent - got < WINDOW:
			if tx.put_packet(data) != OK:
				break
			sent += p_size
			progress = true
		var count = rx.get_available_packet_count()
		var bytes = 0
		for i in range(count):
			bytes += rx.get_packet().size()
		messages += count
		got += bytes
		now = Time.get_ticks_usec()
		if bytes > 0:
			progress = true
			last = now
		elif not p_reliable and sent > got and now - last > STALL_USEC:
			lost += sent - got
			sent = got
			last = now
		if not progress:
			OS.delay_usec(IDLE_USEC)
	var seconds = (now - start) / 1e6
	settle(p_pair, rx)
	return {"messages": messages, "bytes": got, "seconds": seconds, "lost": lost / p_size}


# 64-byte ping-pong on "rel": a sends, b echoes, a times it. The loop spins (no sleep).
static func rtt(p_pair, p_count):
	var a = p_pair.channels_a["rel"]
	var b = p_pair.channels_b["rel"]
	var data = payload(64, 1)
	var rtts = []
	var lost = 0
	for i in range(p_count):
		var t0 = Time.get_ticks_usec()
		a.put_packet(data)
		var deadline = t0 + 1000000
		while true:
			if b.get_available_packet_count() > 0:
				b.put_packet(b.get_packet())
			if a.get_available_packet_count() > 0:
				a.get_packet()
				rtts.append(Time.get_ticks_usec() - t0)
				break
			if Time.get_ticks_usec() > deadline:
				lost += 1
				break
	return {"rtts": rtts, "lost": lost}


# Poll (every ms, 5 s at most) until p_want packets wait on p_rx.
static func wait_count(p_pair, p_rx, p_want):
	var deadline = Time.get_ticks_msec() + 5000
	while Time.get_ticks_msec() < deadline:
		p_pair.poll()
		if p_rx.get_available_packet_count() >= p_want:
			return true
		OS.delay_msec(1)
	return false


# µs per put_packet of p_size bytes: the median over batches of p_n calls.
static func put_cost(p_pair, p_size, p_n, p_batches):
	var tx = p_pair.channels_a["rel"]
	var rx = p_pair.channels_b["rel"]
	var data = payload(p_size, 7)
	var per = []
	for batch in range(p_batches):
		var t0 = Time.get_ticks_usec()
		for i in range(p_n):
			tx.put_packet(data)
		per.append(float(Time.get_ticks_usec() - t0) / p_n)
		wait_count(p_pair, rx, p_n)
		drain(rx)
	return median(per)


# µs per get_packet of a 64-byte packet, p_n of them waiting.
static func get_cost(p_pair, p_n, p_batches):
	var tx = p_pair.channels_a["rel"]
	var rx = p_pair.channels_b["rel"]
	var data = payload(64, 7)
	var per = []
	for batch in range(p_batches):
		for i in range(p_n):
			tx.put_packet(data)
		wait_count(p_pair, rx, p_n)
		var t0 = Time.get_ticks_usec()
		for i in range(p_n):
			rx.get_packet()
		per.append(float(Time.get_ticks_usec() - t0) / p_n)
	return median(per)


# What GDScript itself costs in these loops: an empty iteration, and a call of a native
# method of an engine object (Object.get_instance_id()) per iteration.
static func baseline(p_n, p_batches):
	var object = RefCounted.new()
	var empty = []
	var native = []
	for batch in range(p_batches):
		var t0 = Time.get_ticks_usec()
		for i in range(p_n):
			pass
		empty.append(float(Time.get_ticks_usec() - t0) / p_n)
		t0 = Time.get_ticks_usec()
		for i in range(p_n):
			object.get_instance_id()
		native.append(float(Time.get_ticks_usec() - t0) / p_n)
	return {"loop": median(empty), "native": median(native)}


static func calls(p_pair, p_batches):
	settle(p_pair, p_pair.channels_b["rel"])
	var out = {
		"put64": put_cost(p_pair, 64, 1000, p_batches),
		"put1k": put_cost(p_pair, 1024, 1000, p_batches),
		"put16k": put_cost(p_pair, 16384, 200, p_batches),
		"get": get_cost(p_pair, 1000, p_batches),
	}
	var base = baseline(1000, p_batches)
	out["loop"] = base["loop"]
	out["native"] = base["native"]
	return out


# 64-byte messages a -> b, p_per_frame each frame of p_frame_usec, as a game sends them: 30
# frames first to reach steady state, then the measured window between the two marker
# look-ups (an strace of this thread counts what lies between them).
static func steady(p_pair, p_messages, p_per_frame, p_frame_usec):
	var tx = p_pair.channels_a["rel"]
	var rx = p_pair.channels_b["rel"]
	var data = payload(64, 5)
	for f in range(30):
		var f0 = Time.get_ticks_usec()
		p_pair.poll()
		for i in range(p_per_frame):
			tx.put_packet(data)
		drain(rx)
		var rest = p_frame_usec - (Time.get_ticks_usec() - f0)
		if rest > 0:
			OS.delay_usec(rest)
	var sent = 0
	var received = 0
	var frames = 0
	var deadline = Time.get_ticks_msec() + 20000
	FileAccess.file_exists(MARK_BEGIN) # look-ups naming the path, nothing else
	while (sent < p_messages or received < p_messages) and Time.get_ticks_msec() < deadline:
		var f0 = Time.get_ticks_usec()
		p_pair.poll()
		var n = mini(p_per_frame, p_messages - sent)
		for i in range(n):
			tx.put_packet(data)
		sent += n
		received += drain(rx)[0]
		frames += 1
		var rest = p_frame_usec - (Time.get_ticks_usec() - f0)
		if rest > 0:
			OS.delay_usec(rest)
	FileAccess.file_exists(MARK_END)
	return {"sent": sent, "received": received, "frames": frames}
