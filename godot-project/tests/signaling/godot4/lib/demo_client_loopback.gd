# The client of Godot's networking/webrtc_signaling demo (godot-demo-projects), its own
# scripts unchanged: the engine test copies client/ws_webrtc_client.gd and
# client/multiplayer_client.gd from the checkout GODOT_DEMO_PROJECTS names into the test
# project's res://demo_client/ (never into the repository). Only the WebRTC configuration is
# replaced, because every test pins ICE to loopback: the demo's _create_peer() uses a public
# STUN server, this one Check.loopback(); what it does with the connection is the same.
extends "res://demo_client/multiplayer_client.gd"

const Check = preload("res://tests/godot4/lib/check.gd")


func _create_peer(p_id: int) -> WebRTCPeerConnection:
	var connection := WebRTCPeerConnection.new()
	connection.initialize(Check.loopback())
	connection.session_description_created.connect(_offer_created.bind(p_id))
	connection.ice_candidate_created.connect(_new_ice_candidate.bind(p_id))
	rtc_mp.add_peer(connection, p_id)
	if p_id < rtc_mp.get_unique_id():
		connection.create_offer()
	return connection
