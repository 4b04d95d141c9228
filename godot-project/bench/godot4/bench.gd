# The Godot 4 side of `npm run bench` (scripts/bench/godot.mjs): a headless Godot driven by
# the benchmark over a line-JSON link on 127.0.0.1 (lib/link.gd; port in BENCH_GODOT_PORT).
# Each command runs here, on the main thread, and one {"t": "reply", ...} line answers it:
#   open                               the bench pair (both peers here; "rel" and "unrel")
#   throughput {size, reliable, ms}    messages and bytes received in ms (lib/measure.gd)
#   rtt {count}                        64-byte round trips, µs
#   calls {batches}                    µs per put_packet (64 B, 1 KiB, 16 KiB) and get_packet
#   setup {pairs, repeat}              ms from start to open, per pair (lib/fleet.gd)
#   warm / fleet {connections} / idle {ms}   256 live connections, poll() cost, idle frames
#   steady {messages, perFrame, frameUs}     the window an strace of this thread counts
#   remote {role} / ping {count} / echo {count, ms}   one peer of two processes (lib/remote.gd)
#   quit
# The same commands as the C client's (scripts/bench/godot/client_peer.c) and the Godot 3
# scene's (bench/godot3/bench.gd). The scene quits
# when the link is lost or after BENCH_GODOT_LIMIT_S seconds (600), whatever happens.
#
#   $GODOT4 --headless --path godot-project -s res://bench/godot4/bench.gd
extends SceneTree

const Link = preload("res://bench/godot4/lib/link.gd")
const Pair = preload("res://bench/godot4/lib/pair.gd")
const Measure = preload("res://bench/godot4/lib/measure.gd")
const Fleet = preload("res://bench/godot4/lib/fleet.gd")
const Remote = preload("res://bench/godot4/lib/remote.gd")

var link = Link.new()
var bench = null # the bench pair
var fleet = Fleet.new()
var remote = null
var remote_waiting = false
var deadline = 0
var done = false
var hello = false


func _initialize():
	var port = int(OS.get_environment("BENCH_GODOT_PORT"))
	var limit = int(OS.get_environment("BENCH_GODOT_LIMIT_S"))
	deadline = Time.get_ticks_msec() + (limit if limit > 0 else 600) * 1000
	if port <= 0 or link.open(port) != OK:
		print("FAIL: bench: BENCH_GODOT_PORT names no relay")
		_end(1)


func _end(p_code):
	if done:
		return
	done = true
	if remote != null:
		remote.close()
	if bench != null:
		bench.close()
	for p in fleet.pairs:
		p.close()
	print("END-OF-BENCH")
	quit(p_code)


func _process(_delta: float) -> bool:
	if done:
		return false
	if not link.alive() or Time.get_ticks_msec() > deadline:
		print("bench: the link is lost or the time is up")
		_end(1)
		return false
	if link.linked and not hello:
		hello = true
		link.send({"t": "hello", "pid": OS.get_process_id(), "version": Engine.get_version_info()["string"]})
	for message in link.receive():
		if message.get("t") == "signal":
			if remote != null:
				remote.apply(message)
		else:
			var result = _run(message)
			if done:
				return false
			if result != null:
				result["t"] = "reply"
				link.send(result)
	if remote != null:
		remote.pc.poll()
		if remote_waiting and remote.is_open():
			remote_waiting = false
			link.send({"t": "reply", "open": true, "errors": remote.errors})
	OS.delay_msec(1)
	return false


# One command; null when its reply comes later (remote).
func _run(p_message):
	var t = p_message.get("t", "")
	match t:
		"open":
			var start = Time.get_ticks_usec()
			bench = Pair.new()
			if not bench.start([["rel", {}], ["unrel", {"ordered": false, "maxRetransmits": 0}]]):
				return {"error": "the bench pair did not start"}
			var limit = Time.get_ticks_msec() + 20000
			while not bench.is_open() and Time.get_ticks_msec() < limit:
				bench.poll()
				OS.delay_usec(200)
			if not bench.is_open():
				return {"error": "the bench pair did not open"}
			return {"pid": OS.get_process_id(), "worker": 0, "ms": (Time.get_ticks_usec() - start) / 1000.0}
		"throughput":
			return Measure.throughput(bench, int(p_message["size"]), p_message["reliable"] == true, int(p_message["ms"]))
		"rtt":
			return Measure.rtt(bench, int(p_message["count"]))
		"calls":
			return Measure.calls(bench, int(p_message["batches"]))
		"setup":
			return Fleet.setup(int(p_message["pairs"]), int(p_message["repeat"]))
		"warm":
			return fleet.warm()
		"fleet":
			return fleet.fleet(int(p_message["connections"]))
		"idle":
			return fleet.idle(int(p_message["ms"]))
		"steady":
			return Measure.steady(bench, int(p_message["messages"]), int(p_message["perFrame"]), int(p_message["frameUs"]))
		"remote":
			remote = Remote.new(link)
			if not remote.start(p_message["role"]):
				return {"error": "the remote peer did not start"}
			remote_waiting = true
			return null
		"ping":
			return remote.ping(int(p_message["count"]))
		"echo":
			return remote.echo(int(p_message["count"]), int(p_message["ms"]))
		"quit":
			_end(0)
			return null
	return {"error": "unknown command " + str(t)}
