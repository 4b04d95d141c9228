# Many pairs in this Godot: setup times (pairs started at once, each timed from the start of
# its batch to both ends of its channel open), 256 live connections, poll() of idle ones,
# and a game's idle frames. Loops as in scripts/bench/godot/client_peer.c.
extends RefCounted

const Pair = preload("res://bench/godot4/lib/pair.gd")
const Measure = preload("res://bench/godot4/lib/measure.gd")

const BATCH = 32
const POLL_USEC = 200 # the setup loop polls every pair this often

var pairs = []
var warm_peer = null


# Start p_count pairs at once and poll them all until every one is open or p_timeout_ms
# passes. Returns each pair's time to open in ms (-1: did not).
static func open_batch(p_into, p_count, p_timeout_ms):
	var start = Time.get_ticks_usec()
	var batch = []
	for i in range(p_count):
		var p = Pair.new()
		p.start([["rel", {}]])
		batch.append(p)
		p_into.append(p)
	var waiting = p_count
	var deadline = start + p_timeout_ms * 1000
	while waiting > 0 and Time.get_ticks_usec() < deadline:
		waiting = 0
		for p in batch:
			p.poll()
			if not p.is_open():
				waiting += 1
		OS.delay_usec(POLL_USEC)
	var times = []
	for p in batch:
		times.append((p.opened_usec - start) / 1000.0 if p.opened_usec != 0 else -1.0)
	return times


static func setup(p_pairs, p_repeat):
	var times = []
	var failed = 0
	for r in range(p_repeat):
		var batch = []
		for t in open_batch(batch, p_pairs, 30000):
			if t < 0:
				failed += 1
			else:
				times.append(t)
		for p in batch:
			p.close()
	return {"times": times, "failed": failed}


# One initialized connection: the worker runs (memory is measured from here).
func warm():
	warm_peer = WebRTCPeerConnection.new()
	warm_peer.initialize(Pair.LOOPBACK.duplicate(true))
	return {"pid": OS.get_process_id()}


func connections():
	var out = []
	for p in pairs:
		out.append(p.a)
		out.append(p.b)
	return out


# µs to poll() the first p_count connections once: the median of p_reps frames.
static func poll_cost(p_pcs, p_count, p_reps):
	var per = []
	var some = p_pcs.slice(0, p_count)
	for r in range(p_reps):
		var t0 = Time.get_ticks_usec()
		for pc in some:
			pc.poll()
		per.append(float(Time.get_ticks_usec() - t0))
		OS.delay_msec(1)
	return Measure.median(per)


func fleet(p_connections):
	var start = Time.get_ticks_usec()
	var opened = 0
	var at = 0
	while at < p_connections / 2:
		var n = mini(BATCH, p_connections / 2 - at)
		for t in open_batch(pairs, n, 60000):
			if t >= 0:
				opened += 2
		at += n
	var ms = (Time.get_ticks_usec() - start) / 1000.0
	for k in range(50): # the last signals and states settle
		for p in pairs:
			p.poll()
		OS.delay_msec(2)
	var pcs = connections()
	var poll = {}
	for k in [1, 32, 256]:
		poll[str(k)] = poll_cost(pcs, mini(k, pcs.size()), 200)
	# The same loop calling a native method instead: what GDScript costs per connection.
	var base = []
	for r in range(200):
		var t0 = Time.get_ticks_usec()
		for pc in pcs:
			pc.get_instance_id()
		base.append(float(Time.get_ticks_usec() - t0))
	poll["native" + str(pcs.size())] = Measure.median(base)
	return {"opened": opened, "ms": ms, "poll": poll}


# A game's idle frames: poll() every connection, 60 times a second, for p_ms.
func idle(p_ms):
	var pcs = connections()
	var frame = 1000000.0 / 60.0
	var start = Time.get_ticks_usec()
	var frames = 0
	while Time.get_ticks_usec() - start < p_ms * 1000:
		var f0 = Time.get_ticks_usec()
		for pc in pcs:
			pc.poll()
		frames += 1
		var rest = frame - (Time.get_ticks_usec() - f0)
		if rest > 0:
			OS.delay_usec(int(rest))
	return {"frames": frames}
