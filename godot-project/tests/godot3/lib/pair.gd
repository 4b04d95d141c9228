# Two WebRTCPeerConnections in this process, signalled by direct calls: each side's
# description and candidates go straight to the other side from the signal handlers.
extends Reference

const Check = preload("res://tests/godot3/lib/check.gd")

var a = WebRTCPeerConnection.new()
var b = WebRTCPeerConnection.new()
var received_a = [] # channels announced to a by data_channel_received
var received_b = []
var candidates_a = 0 # ice_candidate_created counts
var candidates_b = 0
var descriptions = [] # [peer name, type] in order
var errors = [] # non-OK results of the signalling calls


# initialize() both (loopback unless told) and wire the signals. Returns the two results.
func setup(p_config_a = null, p_config_b = null):
	var ea = a.initialize(p_config_a if p_config_a != null else Check.loopback())
	var eb = b.initialize(p_config_b if p_config_b != null else Check.loopback())
	wire()
	return [ea, eb]


func wire():
	a.connect("session_description_created", self, "_on_description", ["a", a, b])
	b.connect("session_description_created", self, "_on_description", ["b", b, a])
	a.connect("ice_candidate_created", self, "_on_candidate", ["a", b])
	b.connect("ice_candidate_created", self, "_on_candidate", ["b", a])
	a.connect("data_channel_received", self, "_on_channel", [received_a])
	b.connect("data_channel_received", self, "_on_channel", [received_b])


func _on_description(p_type, p_sdp, p_name, p_from, p_to):
	descriptions.append([p_name, p_type])
	var e = p_from.set_local_description(p_type, p_sdp)
	if e != OK:
		errors.append("%s set_local_description(%s) = %d" % [p_name, p_type, e])
	e = p_to.set_remote_description(p_type, p_sdp)
	if e != OK:
		errors.append("%s set_remote_description(%s) = %d" % [p_name, p_type, e])


func _on_candidate(p_mid, p_index, p_name, p_from_name, p_to):
	if p_from_name == "a":
		candidates_a += 1
	else:
		candidates_b += 1
	var e = p_to.add_ice_candidate(p_mid, p_index, p_name)
	if e != OK:
		errors.append("%s add_ice_candidate = %d" % [p_from_name, e])


func _on_channel(p_channel, p_list):
	p_list.append(p_channel)


func poll():
	a.poll()
	b.poll()


func offer():
	return a.create_offer()


func is_connected_pair():
	return a.get_connection_state() == WebRTCPeerConnection.STATE_CONNECTED \
			and b.get_connection_state() == WebRTCPeerConnection.STATE_CONNECTED


# Offer, then poll until both sides are CONNECTED. Returns whether they did in time.
func connect_pair(p_timeout_ms = 10000):
	if offer() != OK:
		return false
	return Check.pump([self], funcref(self, "is_connected_pair"), p_timeout_ms)


func close():
	a.close()
	b.close()
