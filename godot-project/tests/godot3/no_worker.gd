# No Node.js anywhere: the addon's bundled runtime is missing (the runner uses a copy of the
# project without addons/webrtc_ts/runtime/), PATH has none and the Node override names
# nothing. initialize() returns ERR_CANT_CONNECT with one line saying how to restore a
# runtime, the objects stay usable, nothing hangs, and Godot keeps running.
# runner-project: without-runtime
# runner-env: GODOT_WEBRTC_NODE=/nonexistent/node PATH=/nonexistent
# runner-expect: reinstall the addon to restore it
extends "res://tests/godot3/lib/scene.gd"


func _initialize():
	c = Check.new("no_worker")
	var p = WebRTCPeerConnection.new()
	c.eq(p.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "new() needs no worker")
	var start = OS.get_ticks_msec()
	c.eq(p.initialize(Check.loopback()), Check.ERR_CANT_CONNECT, "initialize: ERR_CANT_CONNECT")
	c.eq(p.initialize(Check.loopback()), Check.ERR_CANT_CONNECT, "again: ERR_CANT_CONNECT")
	c.ok(OS.get_ticks_msec() - start < 10000, "fails fast (%d ms)" % (OS.get_ticks_msec() - start))
	c.ok(p.create_data_channel("x", {}) == null, "create_data_channel: null")
	c.eq(p.poll(), OK, "poll: OK")
	p.close()
	c.eq(p.get_connection_state(), WebRTCPeerConnection.STATE_CLOSED, "close: CLOSED")
	c.finish(self)
