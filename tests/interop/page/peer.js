// The browser's side of the interop tests: RTCPeerConnections on the plain
// W3C API, no library; binary payloads travel as base64 both ways. Two ways
// to drive it:
// - Chromium (playwright): one peer per page, window.peer, called through
//   page.evaluate; events go out through window.rtcEvent (an exposed function).
// - peer.html?socket (Firefox, which has no driver here): the page opens a
//   WebSocket to the server that served it (/control) and hosts any number of
//   peers. The test sends {id, peer, method, args}; the page answers
//   {id, value} or {id, error} and reports events as {peer, event}, all in
//   order on that one socket. When the socket closes the page closes its
//   window, and the browser exits with its last window.
'use strict';

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(b64) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function describe(key, channel) {
  return {
    key,
    label: channel.label,
    protocol: channel.protocol,
    ordered: channel.ordered,
    negotiated: channel.negotiated,
    id: channel.id,
    maxRetransmits: channel.maxRetransmits,
    maxPacketLifeTime: channel.maxPacketLifeTime,
    readyState: channel.readyState,
  };
}

/** One RTCPeerConnection and its channels; `emit` reports each event. */
function createPeer(emit) {
  const channels = [];
  let pc = null;

  function adopt(channel) {
    const key = channels.length;
    channels.push(channel);
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => emit({ kind: 'open', channel: describe(key, channel) });
    channel.onclose = () => emit({ kind: 'close', key });
    channel.onerror = (e) => emit({ kind: 'channel-error', key, message: String(e.error && e.error.message) });
    channel.onmessage = (e) => {
      const isString = typeof e.data === 'string';
      const bytes = isString ? new TextEncoder().encode(e.data) : new Uint8Array(e.data);
      emit({ kind: 'message', key, isString, data: toBase64(bytes) });
    };
    return key;
  }

  return {
    start(configuration) {
      pc = new RTCPeerConnection(configuration);
      pc.onicecandidate = (e) => {
        if (e.candidate) emit({ kind: 'candidate', candidate: e.candidate.candidate, mid: e.candidate.sdpMid, index: e.candidate.sdpMLineIndex });
        else emit({ kind: 'candidates-done' });
      };
      pc.onconnectionstatechange = () => emit({ kind: 'connection', state: pc.connectionState });
      pc.ondatachannel = (e) => emit({ kind: 'datachannel', channel: describe(adopt(e.channel), e.channel) });
    },
    createChannel(label, init) {
      const key = adopt(pc.createDataChannel(label, init));
      return describe(key, channels[key]);
    },
    channel(key) {
      return describe(key, channels[key]);
    },
    async offer() {
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription.sdp;
    },
    async answer(offer) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      return pc.localDescription.sdp;
    },
    async accept(answer) {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    },
    async addCandidate(candidate, mid, index) {
      await pc.addIceCandidate({ candidate, sdpMid: mid, sdpMLineIndex: index });
    },
    send(key, b64, isString) {
      const bytes = fromBase64(b64);
      channels[key].send(isString ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : bytes);
    },
    close(key) {
      channels[key].close();
    },
    closePeer() {
      if (pc) pc.close();
    },
    /** What the SCTP transport allows per message (min of both sides' a=max-message-size). */
    sctpMaxMessageSize() {
      return pc.sctp ? pc.sctp.maxMessageSize : null;
    },
    /** The nominated candidate pair, from getStats(). */
    async selectedPair() {
      const stats = await pc.getStats();
      let transport = null;
      stats.forEach((s) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) transport = s;
      });
      if (!transport) return null;
      const pair = stats.get(transport.selectedCandidatePairId);
      const side = (id) => {
        const c = stats.get(id);
        return { address: c.address, port: c.port, type: c.candidateType, protocol: c.protocol };
      };
      return { local: side(pair.localCandidateId), remote: side(pair.remoteCandidateId), state: pair.state, nominated: pair.nominated };
    },
    /** The DTLS transport: its state (RTCDtlsTransport) and what getStats() says of it and of the certificates. */
    async dtls() {
      const stats = await pc.getStats();
      const transports = [];
      const certificates = [];
      stats.forEach((s) => {
        if (s.type === 'transport') transports.push(s);
        if (s.type === 'certificate') certificates.push({ id: s.id, fingerprint: s.fingerprint, fingerprintAlgorithm: s.fingerprintAlgorithm });
      });
      const t = transports.find((x) => x.selectedCandidatePairId) || transports[0] || {};
      const field = (name) => (t[name] === undefined ? null : t[name]);
      return {
        state: pc.sctp ? pc.sctp.transport.state : null,
        statsState: field('dtlsState'),
        role: field('dtlsRole'),
        tlsVersion: field('tlsVersion'),
        cipher: field('dtlsCipher'),
        localCertificateId: field('localCertificateId'),
        remoteCertificateId: field('remoteCertificateId'),
        certificates,
      };
    },
    /** Every candidate the browser's ICE agent knows, local and remote. */
    async candidates() {
      const stats = await pc.getStats();
      const out = [];
      stats.forEach((s) => {
        if (s.type === 'local-candidate' || s.type === 'remote-candidate') out.push({ side: s.type, address: s.address, port: s.port, type: s.candidateType });
      });
      return out;
    },
  };
}

function driveOverSocket() {
  const peers = new Map();
  const socket = new WebSocket(`ws://${location.host}/control`);
  const send = (message) => socket.send(JSON.stringify(message));
  socket.onmessage = async (m) => {
    const { id, peer, method, args } = JSON.parse(m.data);
    try {
      let value = null;
      if (method === 'newPeer') {
        peers.set(peer, createPeer((event) => send({ peer, event })));
      } else if (method === 'dropPeer') {
        const dropped = peers.get(peer);
        peers.delete(peer);
        if (dropped) dropped.closePeer();
      } else if (method === 'userAgent') {
        value = navigator.userAgent;
      } else {
        const target = peers.get(peer);
        if (!target) throw new Error(`no peer ${peer}`);
        const result = await target[method](...args);
        if (result !== undefined) value = result;
      }
      send({ id, value });
    } catch (e) {
      send({ id, error: `${e && e.name}: ${e && e.message}` });
    }
  };
  socket.onclose = () => {
    for (const peer of peers.values()) peer.closePeer();
    window.close();
  };
}

if (new URLSearchParams(location.search).has('socket')) driveOverSocket();
else window.peer = createPeer((event) => window.rtcEvent(JSON.stringify(event)));
