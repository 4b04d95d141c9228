# Two players chat over a WebRTC data channel: the smallest game-shaped use of the addon.
#
# Both players live in this one scene so that it runs anywhere without a server. In a real
# game each player is a different Godot instance, and the three signalling hand-offs marked
# "SIGNALLING" below go through your own signalling server (a WebSocket, an HTTP lobby...):
# whatever one peer emits, the other receives.
extends Node

# Loopback only, so the demo never leaves this machine. Between machines, add an ICE server:
# {"iceServers": [{"urls": ["stun:stun.l.google.com:19302"]}]}
const CONFIG = {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}
const LINES = [
	["alice", "hi bob!"],
	["bob", "hello alice, this came over a WebRTC data channel"],
	["alice", "text mode keeps everything, even é and ✓"],
	["bob", "bye!"],
]
const TIMEOUT_S = 20.0

var players = {}
var sent = 0
var received = 0
var elapsed = 0.0
var since_last = 0.0


func _ready():
	Engine.target_fps = 60
	for name in ["alice", "bob"]:
		var peer = WebRTCPeerConnection.new()
		if peer.initialize(CONFIG) != OK:
			_fail("initialize() failed for %s" % name)
			return
		# A negotiated channel: both sides create it with the same id, no announcement needed.
		var channel = peer.create_data_channel("chat", {"negotiated": true, "id": 1})
		channel.write_mode = WebRTCDataChannel.WRITE_MODE_TEXT
		players[name] = {"peer": peer, "channel": channel}
	for name in players:
		var other = "bob" if name == "alice" else "alice"
		var peer = players[name].peer
		peer.connect("session_description_created", self, "_on_description", [name, other])
		peer.connect("ice_candidate_created", self, "_on_candidate", [other])
	print("demo: alice and bob connect over WebRTC (loopback)")
	players.alice.peer.create_offer() # the answer comes back through the signals


# SIGNALLING 1: a description goes to our own peer and, through the server, to the other.
func _on_description(p_type, p_sdp, p_from, p_to):
	players[p_from].peer.set_local_description(p_type, p_sdp)
	players[p_to].peer.set_remote_description(p_type, p_sdp)


# SIGNALLING 2: every ICE candidate goes to the other peer.
func _on_candidate(p_mid, p_index, p_name, p_to):
	players[p_to].peer.add_ice_candidate(p_mid, p_index, p_name)


func _process(p_delta):
	elapsed += p_delta
	since_last += p_delta
	for name in players:
		players[name].peer.poll() # signals and packets are delivered here
		var channel = players[name].channel
		while channel.get_available_packet_count() > 0:
			var text = channel.get_packet().get_string_from_utf8()
			received += 1
			print("%s received: %s" % [name, text])
	var open = players.alice.channel.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and players.bob.channel.get_ready_state() == WebRTCDataChannel.STATE_OPEN
	if open and sent < LINES.size() and sent == received and since_last > 0.1:
		var speaker = LINES[sent][0]
		var text = LINES[sent][1]
		print("%s sends: %s" % [speaker, text])
		players[speaker].channel.put_packet(text.to_utf8())
		sent += 1
		since_last = 0.0
	if received == LINES.size():
		print("demo: all %d messages delivered; closing" % received)
		for name in players:
			players[name].peer.close()
		set_process(false)
		get_tree().quit()
	elif elapsed > TIMEOUT_S:
		_fail("no conversation within %d s (connection state %d)" % [TIMEOUT_S, players.alice.peer.get_connection_state()])


func _fail(p_why):
	printerr("demo: FAILED: ", p_why)
	set_process(false)
	get_tree().quit(1)
