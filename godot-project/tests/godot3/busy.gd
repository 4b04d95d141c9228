# Back-pressure: a sender that outruns the network gets ERR_BUSY from put_packet (nothing
# half-sent), and every packet put_packet accepted arrives, whole and in order.
extends "res://tests/godot3/lib/scene.gd"

const SIZE = 262144 # the largest packet between two libdatachannel peers
const MAX_PUTS = 1000 # 256 MiB: far past the 16 MiB send limit

var pair
var sender
var receiver
var accepted = 0
var received = 0
var corrupt = 0


func _initialize():
	c = Check.new("busy")
	pair = Pair.new()
	pair.setup()
	sender = pair.a.create_data_channel("bulk", {})
	if not c.ok(pair.connect_pair() and Check.pump([pair], funcref(self, "_open"), 10000), "connected"):
		c.finish(self)
		return
	receiver = pair.received_b[0]
	var packet = PoolByteArray()
	packet.resize(SIZE)
	var busy = false
	for i in range(MAX_PUTS):
		packet[0] = accepted % 256 # numbered, to check order and wholeness
		packet[SIZE - 1] = accepted % 251
		var e = sender.put_packet(packet)
		if e == Check.ERR_BUSY:
			busy = true
			break
		if not c.eq(e, OK, "put_packet %d" % i):
			break
		accepted += 1
		_read() # the receiver keeps up (its own unread limit is 16 MiB too)
	c.ok(busy, "ERR_BUSY after %d packets (%d MiB)" % [accepted, accepted * SIZE / 1048576])
	c.ok(accepted * SIZE >= 8 * 1048576, "the send path took a few MiB before refusing")
	c.ok(Check.pump([pair], funcref(self, "_all_received"), 60000), "all %d accepted packets arrive" % accepted)
	c.eq(received, accepted, "received exactly what was accepted")
	c.eq(corrupt, 0, "every packet whole and in order")
	c.eq(sender.put_packet(packet), OK, "put_packet works again once drained")
	pair.close()
	c.finish(self)


func _read():
	while receiver.get_available_packet_count() > 0:
		var got = receiver.get_packet()
		if got.size() != SIZE or got[0] != received % 256 or got[SIZE - 1] != received % 251:
			corrupt += 1
		received += 1


func _all_received():
	_read()
	return received >= accepted


func _open():
	return sender.get_ready_state() == WebRTCDataChannel.STATE_OPEN and pair.received_b.size() == 1 \
			and pair.received_b[0].get_ready_state() == WebRTCDataChannel.STATE_OPEN
