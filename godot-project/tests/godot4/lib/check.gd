# Checks for the Godot 4 headless scenes: every failed check prints one "FAIL:" line (the
# runner fails the scene on it); finish() prints the tally and the end sentinel and quits
# with a non-zero exit code if anything failed.
extends RefCounted

# Every configuration pins ICE to loopback: no ICE server, host candidates on 127.0.0.1.
const LOOPBACK := {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}

var scene := ""
var passed := 0
var failed := 0
var finished := false


func _init(p_scene: String) -> void:
	scene = p_scene
	print("scene ", scene)


func ok(p_condition: bool, p_what: String) -> bool:
	if p_condition:
		passed += 1
	else:
		failed += 1
		print("FAIL: ", scene, ": ", p_what)
	return p_condition


func eq(p_actual: Variant, p_expected: Variant, p_what: String) -> bool:
	var same := typeof(p_actual) == typeof(p_expected)
	if same and (typeof(p_actual) == TYPE_DICTIONARY or typeof(p_actual) == TYPE_ARRAY):
		same = var_to_str(p_actual) == var_to_str(p_expected)
	else:
		same = same and p_actual == p_expected
	return ok(same, "%s: got %s, expected %s" % [p_what, str(p_actual), str(p_expected)])


func note(p_text: String) -> void:
	print("  ", p_text)


# Print the tally and the sentinel; quit the SceneTree (exit code 1 on failure).
func finish(p_tree: SceneTree) -> void:
	finished = true
	print("%s: %d checks passed, %d failed" % [scene, passed, failed])
	print("END-OF-SCENE ", scene)
	p_tree.quit(0 if failed == 0 else 1)


static func loopback() -> Dictionary:
	return LOOPBACK.duplicate(true)


# Poll p_pollables (anything with poll()) until p_done.call() is true or p_timeout_ms
# passes. Returns whether p_done came true.
static func pump(p_pollables: Array, p_done: Callable, p_timeout_ms: int = 15000) -> bool:
	var deadline := Time.get_ticks_msec() + p_timeout_ms
	while true:
		for p in p_pollables:
			p.poll()
		if p_done.call():
			return true
		if Time.get_ticks_msec() > deadline:
			return false
		OS.delay_msec(2)
	return false


# Poll for p_ms milliseconds whatever happens.
static func pump_for(p_pollables: Array, p_ms: int) -> void:
	var deadline := Time.get_ticks_msec() + p_ms
	while Time.get_ticks_msec() < deadline:
		for p in p_pollables:
			p.poll()
		OS.delay_msec(2)


static func bytes(p_values: Array) -> PackedByteArray:
	var out := PackedByteArray()
	for v in p_values:
		out.append(v)
	return out


# A String of p_length ASCII bytes.
static func ascii(p_length: int, p_char: String = "x") -> String:
	return p_char.repeat(p_length)


# Wait until p_channel has a packet (polling p_pollables) and return it; empty on timeout.
static func receive(p_pollables: Array, p_channel: WebRTCDataChannel, p_timeout_ms: int = 15000) -> PackedByteArray:
	var deadline := Time.get_ticks_msec() + p_timeout_ms
	while p_channel.get_available_packet_count() == 0:
		if Time.get_ticks_msec() > deadline:
			return PackedByteArray()
		for p in p_pollables:
			p.poll()
		OS.delay_msec(2)
	return p_channel.get_packet()
