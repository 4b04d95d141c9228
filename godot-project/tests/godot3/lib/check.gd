# Checks for the headless scenes: every failed check prints one "FAIL:" line (the runner
# fails the scene on it), finish() prints the tally and the end sentinel and quits with a
# non-zero exit code if anything failed.
extends Reference

# Godot's @GlobalScope.Error numbers (the same in 3.x and 4.x).
const OK = 0
const FAILED = 1
const ERR_UNAVAILABLE = 2
const ERR_UNCONFIGURED = 3
const ERR_CANT_CONNECT = 25
const ERR_INVALID_PARAMETER = 31
const ERR_BUSY = 44

# Every configuration pins ICE to loopback: no ICE server, host candidates on 127.0.0.1.
const LOOPBACK = {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}

var scene = ""
var passed = 0
var failed = 0
var finished = false


func _init(p_scene):
	scene = p_scene
	print("scene ", scene)


func ok(p_condition, p_what):
	if p_condition:
		passed += 1
	else:
		failed += 1
		print("FAIL: ", scene, ": ", p_what)
	return p_condition


func eq(p_actual, p_expected, p_what):
	var same = typeof(p_actual) == typeof(p_expected)
	if same and typeof(p_actual) == TYPE_DICTIONARY:
		same = to_json(p_actual) == to_json(p_expected) # Godot 3 compares Dictionaries by reference
	else:
		same = same and p_actual == p_expected
	return ok(same,
			"%s: got %s, expected %s" % [p_what, str(p_actual), str(p_expected)])


func note(p_text):
	print("  ", p_text)


# Print the tally and the sentinel; quit the SceneTree (exit code 1 on failure).
func finish(p_tree):
	finished = true
	print("%s: %d checks passed, %d failed" % [scene, passed, failed])
	print("END-OF-SCENE ", scene)
	p_tree.quit(0 if failed == 0 else 1)


static func loopback():
	return LOOPBACK.duplicate(true)


# Poll p_pollables (anything with poll()) until p_done.call_func() is true or p_timeout_ms
# passes. Returns whether p_done came true.
static func pump(p_pollables, p_done, p_timeout_ms = 10000):
	var deadline = OS.get_ticks_msec() + p_timeout_ms
	while true:
		for p in p_pollables:
			p.poll()
		if p_done.call_func():
			return true
		if OS.get_ticks_msec() > deadline:
			return false
		OS.delay_msec(2)


# Poll for p_ms milliseconds whatever happens.
static func pump_for(p_pollables, p_ms):
	var deadline = OS.get_ticks_msec() + p_ms
	while OS.get_ticks_msec() < deadline:
		for p in p_pollables:
			p.poll()
		OS.delay_msec(2)


static func bytes(p_values):
	var out = PoolByteArray()
	for v in p_values:
		out.append(v)
	return out


# The pids of this process's worker children (node .../worker.mjs), via pgrep.
static func worker_pids():
	var out = []
	OS.execute("pgrep", PoolStringArray(["-P", str(OS.get_process_id()), "-f", "[w]orker.mjs"]), true, out)
	var pids = []
	if out.size() > 0:
		for line in str(out[0]).split("\n", false):
			if line.strip_edges().is_valid_integer():
				pids.append(int(line))
	return pids


# A String of p_length ASCII bytes.
static func ascii(p_length, p_char = "x"):
	var s = ""
	var chunk = p_char
	while chunk.length() * 2 <= p_length:
		chunk += chunk
	while s.length() + chunk.length() <= p_length:
		s += chunk
	while s.length() < p_length:
		s += p_char
	return s
