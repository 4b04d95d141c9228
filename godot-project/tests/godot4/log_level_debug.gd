# Issue 12: the project setting webrtc_ts/log_level set to "debug" (the runner's override.cfg)
# reaches the worker as it starts: the core's debug lines and libdatachannel's own lines,
# tagged, reach Godot's console with the addon's prefix. (Godot 3: tests/godot3/log_level_debug.gd.)
# runner-setting: webrtc_ts/log_level="debug"
# runner-expect: webrtc_ts: [libdatachannel]
# runner-expect: webrtc_ts: connection state CONNECTED
# runner-absent: is not one of error, warning, info, debug, verbose
extends "res://tests/godot4/lib/scene.gd"


func _initialize() -> void:
	c = Check.new("log_level_debug")
	c.eq(ProjectSettings.get_setting("webrtc_ts/log_level", ""), "debug", "the project setting, from override.cfg")
	var pair := Pair.new()
	pair.setup()
	var channel := pair.a.create_data_channel("chat", {})
	c.ok(pair.connect_pair(), "a pair connects on loopback")
	channel.put_packet("x".to_utf8_buffer())
	Check.pump_for([pair], 500)
	pair.close()
	c.finish(self)
