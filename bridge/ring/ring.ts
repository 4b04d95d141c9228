/**
 * Single-producer single-consumer ring over shared memory (TypeScript side).
 *
 * MEMORY-ORDERING CONTRACT (the same text heads ring.c and ring.ts: bridge/ring/contract.test.ts
 * checks that the two copies are equal, so change both or neither)
 *
 * Parties. Exactly one producer and one consumer per ring, in two processes (or threads).
 * The layout (bp_ring_control, record framing) is bridge/protocol/protocol.json.
 *
 * Ownership. producer_position P is stored only by the producer; consumer_position C only
 * by the consumer; consumer_heartbeat only by the consumer. consumer_sleeping is set only
 * by the consumer and producer_waiting only by the producer. The other side clears a flag
 * with an atomic exchange (whoever gets 1 back owns that wakeup and rings); the owner clears
 * its own flag with a store when it wakes or decides not to sleep. Each side keeps its own
 * position in private memory and never re-reads it from the region; it only reads the
 * other side's.
 *
 * Positions. P and C are monotonic byte counters modulo 2^64, always multiples of 8;
 * index = position & (capacity - 1), capacity a power of two.
 *
 * Invariant. 0 <= P - C <= capacity (unsigned 64-bit arithmetic). Bytes [C, P) (mod
 * capacity) belong to the consumer, who only reads them; all other bytes belong to the
 * producer, who only writes them. A consumer that sees P break this (behind the P it saw
 * before, or more than capacity ahead of its published C, or misaligned) reports
 * CORRUPT_POSITION; a producer that sees C outside [its last C, its published P] does the
 * same. Errors are sticky: the ring is dead and the client restarts the bridge.
 *
 * Records. [u32 length | u32 type | payload], 8-byte aligned, occupying
 * 8 + align8(length) bytes; length <= max payload = min(RECORD_MAX_PAYLOAD, capacity/2 - 8).
 * The producer writes the payload in place (reserve), then the type, then the length
 * (length last), then publishes P. The consumer reads each header ONCE into locals and
 * validates it against capacity and its acquired P before touching the payload, so a
 * corrupt or hostile peer can make it fail but never read outside the data area.
 *
 * Wrap rule. A record never straddles the end of the data area. If the contiguous space
 * from the producer's index to the end is smaller than the record, the producer fills it
 * with one PADDING record (length = contiguous - 8) and puts the record at index 0; the
 * padding and the record become visible with the same store of P. Space needed is
 * padding + record, which is why max payload <= capacity/2 - 8: a maximum record always
 * fits into an empty ring, whatever the index.
 *
 * Acquire/release pairs.
 *  (1) Producer: store(P, release) after writing the records  ->  consumer: load(P, acquire)
 *      before reading them. Why: the records' bytes must be visible before the position
 *      that announces them.
 *  (2) Consumer: store(C, release) after reading the records  ->  producer: load(C, acquire)
 *      before overwriting that space. Why: the consumer's reads must be complete before the
 *      producer reuses the bytes (release also orders earlier loads).
 *  The consumer publishes C once per batch (br_consumer_publish in C, RingConsumer.publish in
 *  TypeScript), not once per record, so the producer's cache line is disturbed once per
 *  batch. The producer caches C and only re-acquires it when its cached free space is too
 *  small; the consumer caches P and only re-acquires it when it has consumed everything it
 *  knew about.
 *
 * Doorbell (io_uring's NEED_WAKEUP). A side rings the other (one byte on the doorbell
 * socket: a system call) only when the other said it sleeps.
 *  Consumer going to sleep:  store(consumer_sleeping, 1); fence(seq_cst); load(P);
 *                            if P shows unread records: clear the flag, keep reading;
 *                            else sleep on the doorbell.
 *  Producer after publishing: store(P, release); fence(seq_cst); load(consumer_sleeping);
 *                            if 1 and exchange(consumer_sleeping, 0) returns 1: ring.
 *  Lost-wakeup argument: the two seq_cst fences are totally ordered. If the producer's
 *  fence comes first, the consumer's load of P after its own fence sees the new P (C11
 *  7.17.4: a load sequenced after a seq_cst fence that follows, in the single total order,
 *  the fence sequenced after a store, reads that store or a later one), so the consumer
 *  does not sleep. If the consumer's fence comes first, the producer's load of the flag
 *  sees 1, so it rings. Either way no record is left unseen by a sleeping consumer. The
 *  exchange makes exactly one side own each wakeup, so at most one byte is sent per sleep;
 *  a stale byte only causes one spurious wakeup, which re-checks and sleeps again.
 *  The same argument, with roles swapped, covers a producer waiting for space:
 *  store(producer_waiting, 1); fence; load(C)  versus  store(C, release); fence;
 *  load(producer_waiting) in the consumer's publish.
 *  A consumer must publish its progress before it sleeps and a producer must publish its
 *  records before it waits (the prepare calls refuse otherwise), or each could wait for
 *  the other.
 *
 * Heartbeat. consumer_heartbeat is a standalone liveness value (relaxed): no data depends
 * on it.
 *
 * END OF THE CONTRACT. What follows is this file's own.
 *
 * TypeScript specifics. Control words are accessed only with Atomics (the same text heads
 * ring.c, in C11 terms). Every Atomics operation is sequentially consistent, so each
 * Atomics.store is at least the release and each Atomics.load at least the acquire named
 * above, and an Atomics.store followed by an Atomics.load is the store-fence-load of the
 * doorbell argument; V8 compiles them to the same instructions as C11 seq_cst accesses
 * (x86-64: xchg for the store, mov for the load; arm64: stlr / ldar), so the pairs hold
 * across the two languages. Payload and header bytes are plain typed-array accesses,
 * ordered by those Atomics: V8 never moves a memory access across an Atomics operation.
 * Positions are 64-bit: they live in a BigUint64Array so a load or store of P or C is one
 * single-copy-atomic 64-bit access, exactly the C side's _Atomic uint64_t (two 32-bit
 * halves could be seen torn when the low half wraps). BigInt arithmetic happens only at
 * those loads and stores (once per batch or publish); within a batch offsets are small
 * integers (capacity <= 2^30).
 */

import {
  RECORD_ALIGN,
  RECORD_HEADER_SIZE,
  RECORD_MAX_PAYLOAD,
  RECORD_TYPE_MAX,
  RING_CONTROL_SIZE,
  RING_DATA_SIZE_MAX,
  RING_MIN_CAPACITY,
  RecordType,
  RingControlOffset,
  Status,
} from '../protocol/protocol.js';

/** Where one ring lives in an ArrayBuffer (a mapped region, or plain memory in tests). */
export interface RingView {
  readonly buffer: ArrayBufferLike;
  readonly controlOffset: number;
  readonly dataOffset: number;
  /** Data area bytes: a power of two. */
  readonly capacity: number;
  /** min(RECORD_MAX_PAYLOAD, capacity / 2 - RECORD_HEADER_SIZE). */
  readonly maxPayload: number;
}

/** Indexes of the control words in a BigUint64Array (positions) or Int32Array (flags). */
export const P_INDEX = RingControlOffset.producer_position / 8;
export const C_INDEX = RingControlOffset.consumer_position / 8;
export const HEARTBEAT_INDEX = RingControlOffset.consumer_heartbeat / 8;
export const SLEEPING_INDEX = RingControlOffset.consumer_sleeping / 4;
export const WAITING_INDEX = RingControlOffset.producer_waiting / 4;

const ALIGN_MASK = RECORD_ALIGN - 1;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('bridge ring: the shared-memory ABI is little-endian; this machine is not');
}

/** Largest payload a ring of `capacity` bytes accepts. */
export function ringMaxPayload(capacity: number): number {
  return Math.min(RECORD_MAX_PAYLOAD, capacity / 2 - RECORD_HEADER_SIZE);
}

/** Bytes a record with a `length`-byte payload occupies (header + payload, 8-aligned). */
export function recordSize(length: number): number {
  return RECORD_HEADER_SIZE + ((length + ALIGN_MASK) & ~ALIGN_MASK);
}

/** True for a type a producer may commit: not INVALID, not PADDING, at most RECORD_TYPE_MAX. */
export function isRecordType(type: number): boolean {
  return Number.isInteger(type) && type > RecordType.PADDING && type <= RECORD_TYPE_MAX;
}

/**
 * Describe a ring. Throws RangeError on a bad argument (a setup error, never data):
 * capacity must be a power of two in [RING_MIN_CAPACITY, RING_DATA_SIZE_MAX], both areas
 * 8-byte aligned and inside the buffer.
 */
export function attachRing(
  buffer: ArrayBufferLike,
  controlOffset: number,
  dataOffset: number,
  capacity: number,
): RingView {
  const powerOfTwo = Number.isInteger(capacity) && capacity > 0 && (capacity & (capacity - 1)) === 0;
  if (!powerOfTwo || capacity < RING_MIN_CAPACITY || capacity > RING_DATA_SIZE_MAX) {
    throw new RangeError(
      `bridge ring: capacity ${capacity} is not a power of two in [${RING_MIN_CAPACITY}, ${RING_DATA_SIZE_MAX}]`,
    );
  }
  const areas: ReadonlyArray<readonly [string, number, number]> = [
    ['control', controlOffset, RING_CONTROL_SIZE],
    ['data', dataOffset, capacity],
  ];
  for (const [name, offset, size] of areas) {
    if (!Number.isInteger(offset) || offset < 0 || offset % 8 !== 0 || offset + size > buffer.byteLength) {
      throw new RangeError(`bridge ring: ${name} area [${offset}, +${size}) is misaligned or outside the buffer`);
    }
  }
  return { buffer, controlOffset, dataOffset, capacity, maxPayload: ringMaxPayload(capacity) };
}

/** Set both positions to `position` and clear flags and heartbeat; before either side attaches. */
export function formatRing(ring: RingView, position = 0n): void {
  const positions = new BigUint64Array(ring.buffer, ring.controlOffset, RING_CONTROL_SIZE / 8);
  const flags = new Int32Array(ring.buffer, ring.controlOffset, RING_CONTROL_SIZE / 4);
  Atomics.store(positions, P_INDEX, BigInt.asUintN(64, position));
  Atomics.store(positions, C_INDEX, BigInt.asUintN(64, position));
  Atomics.store(positions, HEARTBEAT_INDEX, 0n);
  Atomics.store(flags, SLEEPING_INDEX, 0);
  Atomics.store(flags, WAITING_INDEX, 0);
}

/** The typed arrays one end of a ring works through. */
export interface RingArrays {
  /** Control words as u64 (positions, heartbeat): Atomics only. */
  readonly positions: BigUint64Array;
  /** Control words as i32 (flags): Atomics only. */
  readonly flags: Int32Array;
  /** The data area. */
  readonly data: Uint8Array;
  /** The data area as u32 words (record headers). */
  readonly words: Uint32Array;
  /** The data area for typed payload fields (pass littleEndian = true). */
  readonly view: DataView;
}

export function ringArrays(ring: RingView): RingArrays {
  return {
    positions: new BigUint64Array(ring.buffer, ring.controlOffset, RING_CONTROL_SIZE / 8),
    flags: new Int32Array(ring.buffer, ring.controlOffset, RING_CONTROL_SIZE / 4),
    data: new Uint8Array(ring.buffer, ring.dataOffset, ring.capacity),
    words: new Uint32Array(ring.buffer, ring.dataOffset, ring.capacity / 4),
    view: new DataView(ring.buffer, ring.dataOffset, ring.capacity),
  };
}

// ---- producer ---------------------------------------------------------------------------

/**
 * The producing end. Zero-copy: `reserve(n)`, write the payload into `data` (or `view`) at
 * `reservedOffset`, `commit(type)`; `publish()` makes committed records visible.
 */
export class RingProducer {
  /** The data area: write a reserved payload at `reservedOffset`. */
  readonly data: Uint8Array;
  /** The data area for typed payload fields (little-endian). */
  readonly view: DataView;
  readonly capacity: number;
  readonly maxPayload: number;
  readonly #positions: BigUint64Array;
  readonly #flags: Int32Array;
  readonly #words: Uint32Array;
  readonly #mask: number;
  /** P as last stored. */
  #published: bigint;
  /** Committed bytes not yet published. */
  #pending = 0;
  /** Index of P + pending. */
  #tailIndex: number;
  /** P - C as of the last acquired C: bytes the consumer has not released. */
  #lag: number;
  #reserving = false;
  #reservedIndex = 0;
  #reservedPadding = 0;
  #reservedLength = 0;
  #error: Status = Status.OK;

  constructor(ring: RingView) {
    const arrays = ringArrays(ring);
    this.data = arrays.data;
    this.view = arrays.view;
    this.capacity = ring.capacity;
    this.maxPayload = ring.maxPayload;
    this.#positions = arrays.positions;
    this.#flags = arrays.flags;
    this.#words = arrays.words;
    this.#mask = ring.capacity - 1;
    this.#published = Atomics.load(this.#positions, P_INDEX);
    const consumer = Atomics.load(this.#positions, C_INDEX);
    const lag = BigInt.asUintN(64, this.#published - consumer);
    this.#tailIndex = Number(this.#published & BigInt(this.#mask));
    this.#lag = lag <= BigInt(ring.capacity) ? Number(lag) : 0;
    if ((this.#published & 7n) !== 0n || (consumer & 7n) !== 0n || lag > BigInt(ring.capacity)) {
      this.#error = Status.CORRUPT_POSITION;
    }
  }

  /** OK, or the sticky CORRUPT_POSITION that ended this ring. */
  get error(): Status {
    return this.#error;
  }

  /** Offset in `data` of the open reservation's payload (8-byte aligned). */
  get reservedOffset(): number {
    return this.#reservedIndex + RECORD_HEADER_SIZE;
  }

  /** Re-acquire C (pair 2): it must lie in [last C, published P]. */
  #refresh(): Status {
    const consumer = Atomics.load(this.#positions, C_INDEX);
    const lag = BigInt.asUintN(64, this.#published - consumer);
    if ((consumer & 7n) !== 0n || lag > BigInt(this.#lag)) {
      this.#error = Status.CORRUPT_POSITION;
      return this.#error;
    }
    this.#lag = Number(lag);
    return Status.OK;
  }

  /** Padding (at the wrap) plus record bytes needed for `length` at the tail. */
  #need(length: number): number {
    const size = recordSize(length);
    const contiguous = this.capacity - this.#tailIndex;
    return size > contiguous ? contiguous + size : size;
  }

  #free(): number {
    return this.capacity - this.#lag - this.#pending;
  }

  /**
   * Reserve room for a `length`-byte payload at `reservedOffset`. OK, FULL (retry after the
   * consumer progresses), TOO_LARGE, INVALID_ARGUMENT, or the sticky error. A new reserve
   * replaces an uncommitted one.
   */
  reserve(length: number): Status {
    if (this.#error !== Status.OK) return this.#error;
    this.#reserving = false;
    if (!Number.isInteger(length) || length < 0) return Status.INVALID_ARGUMENT;
    if (length > this.maxPayload) return Status.TOO_LARGE;
    const size = recordSize(length);
    const contiguous = this.capacity - this.#tailIndex;
    const padding = size > contiguous ? contiguous : 0;
    if (padding + size > this.#free()) {
      if (this.#refresh() !== Status.OK) return this.#error;
      if (padding + size > this.#free()) return Status.FULL;
    }
    this.#reservedPadding = padding;
    this.#reservedIndex = padding !== 0 ? 0 : this.#tailIndex;
    this.#reservedLength = length;
    this.#reserving = true;
    return Status.OK;
  }

  /**
   * Finish the open reservation as a record of `type`, `length` <= reserved bytes (default:
   * all of them). Not visible to the consumer until `publish()`.
   */
  commit(type: number, length: number = this.#reservedLength): Status {
    if (this.#error !== Status.OK) return this.#error;
    if (!this.#reserving) return Status.INVALID_STATE;
    if (!isRecordType(type) || !Number.isInteger(length) || length < 0 || length > this.#reservedLength) {
      return Status.INVALID_ARGUMENT;
    }
    const words = this.#words;
    if (this.#reservedPadding !== 0) {
      const at = this.#tailIndex >>> 2;
      words[at + 1] = RecordType.PADDING;
      words[at] = this.#reservedPadding - RECORD_HEADER_SIZE;
    }
    const at = this.#reservedIndex >>> 2;
    words[at + 1] = type;
    words[at] = length; // length last
    const size = recordSize(length);
    this.#pending += this.#reservedPadding + size;
    this.#tailIndex = (this.#reservedIndex + size) & this.#mask;
    this.#reserving = false;
    return Status.OK;
  }

  /** reserve + copy + commit. */
  write(type: number, payload: Uint8Array): Status {
    const status = this.reserve(payload.byteLength);
    if (status !== Status.OK) return status;
    this.data.set(payload, this.reservedOffset);
    return this.commit(type, payload.byteLength);
  }

  /**
   * Make every committed record visible. Returns true if the consumer was asleep and the
   * caller must ring the doorbell (this call claimed the wakeup).
   */
  publish(): boolean {
    if (this.#pending === 0) return false;
    this.#published = BigInt.asUintN(64, this.#published + BigInt(this.#pending));
    // Pair (1), and the store half of the doorbell's store-fence-load.
    Atomics.store(this.#positions, P_INDEX, this.#published);
    this.#lag += this.#pending;
    this.#pending = 0;
    if (Atomics.load(this.#flags, SLEEPING_INDEX) === 0) return false;
    return Atomics.exchange(this.#flags, SLEEPING_INDEX, 0) !== 0;
  }

  /**
   * Before waiting for space for a `length` payload: true if the caller may wait for the
   * doorbell (the flag is set), false if space is available now, records are unpublished,
   * or the ring is corrupt (retry the reserve).
   */
  prepareWait(length: number): boolean {
    if (this.#error !== Status.OK || this.#pending !== 0) return false;
    Atomics.store(this.#flags, WAITING_INDEX, 1);
    const canWait = this.#refresh() === Status.OK && (length > this.maxPayload || this.#need(length) > this.#free());
    if (!canWait) Atomics.store(this.#flags, WAITING_INDEX, 0);
    return canWait;
  }

  /** After waking: clear producer_waiting (it may already be clear). */
  endWait(): void {
    Atomics.store(this.#flags, WAITING_INDEX, 0);
  }

  /** The consumer's last heartbeat value (0n = none yet). */
  consumerHeartbeat(): bigint {
    return Atomics.load(this.#positions, HEARTBEAT_INDEX);
  }
}

// ---- consumer ---------------------------------------------------------------------------

/**
 * The consuming end. `peek()` validates the next record and exposes `type`, `length` and
 * `offset` (of the payload in `data`); read it in place, `advance()`, and `publish()` once
 * per batch.
 */
export class RingConsumer {
  /** The data area: a peeked payload is at [offset, offset + length). */
  readonly data: Uint8Array;
  /** The data area for typed payload fields (little-endian). */
  readonly view: DataView;
  readonly capacity: number;
  readonly maxPayload: number;
  readonly #positions: BigUint64Array;
  readonly #flags: Int32Array;
  readonly #words: Uint32Array;
  readonly #mask: number;
  /** C as last stored. */
  #published: bigint;
  /** Index of C as last stored. */
  #publishedIndex: number;
  /** Bytes consumed since the last publish. */
  #consumed = 0;
  /** P - C as of the last acquired P: bytes known to be readable since the last publish. */
  #known = 0;
  #peekedSize = 0;
  #type = 0;
  #length = 0;
  #offset = 0;
  #error: Status = Status.OK;

  constructor(ring: RingView) {
    const arrays = ringArrays(ring);
    this.data = arrays.data;
    this.view = arrays.view;
    this.capacity = ring.capacity;
    this.maxPayload = ring.maxPayload;
    this.#positions = arrays.positions;
    this.#flags = arrays.flags;
    this.#words = arrays.words;
    this.#mask = ring.capacity - 1;
    this.#published = Atomics.load(this.#positions, C_INDEX);
    this.#publishedIndex = Number(this.#published & BigInt(this.#mask));
    if ((this.#published & 7n) !== 0n) this.#error = Status.CORRUPT_POSITION;
  }

  /** OK, or the sticky error (CORRUPT_POSITION, CORRUPT_RECORD, TRUNCATED_RECORD). */
  get error(): Status {
    return this.#error;
  }

  /** Type of the peeked record. */
  get type(): number {
    return this.#type;
  }

  /** Payload bytes of the peeked record. */
  get length(): number {
    return this.#length;
  }

  /** Offset in `data` of the peeked record's payload (8-byte aligned). */
  get offset(): number {
    return this.#offset;
  }

  /** The peeked payload as a view into the ring (valid until `publish()`). */
  payload(): Uint8Array {
    return this.data.subarray(this.#offset, this.#offset + this.#length);
  }

  #fail(status: Status): Status {
    this.#error = status;
    this.#peekedSize = 0;
    return status;
  }

  /** Re-acquire P (pair 1): it must lie in [last P, published C + capacity]. */
  #refresh(): Status {
    const producer = Atomics.load(this.#positions, P_INDEX);
    const ahead = BigInt.asUintN(64, producer - this.#published);
    if ((producer & 7n) !== 0n || ahead > BigInt(this.capacity) || Number(ahead) < this.#known) {
      return this.#fail(Status.CORRUPT_POSITION);
    }
    this.#known = Number(ahead);
    return Status.OK;
  }

  /** The next record (padding skipped): OK, EMPTY, or the sticky error. Idempotent until `advance()`. */
  peek(): Status {
    if (this.#error !== Status.OK) return this.#error;
    if (this.#peekedSize !== 0) return Status.OK;
    for (;;) {
      if (this.#consumed === this.#known) {
        if (this.#refresh() !== Status.OK) return this.#error;
        if (this.#consumed === this.#known) return Status.EMPTY;
      }
      const available = this.#known - this.#consumed; // a positive multiple of 8
      const index = (this.#publishedIndex + this.#consumed) & this.#mask;
      const contiguous = this.capacity - index;
      const length = this.#words[index >>> 2] ?? 0; // read each header word once
      const type = this.#words[(index >>> 2) + 1] ?? 0;
      if (type === RecordType.PADDING) {
        if (length !== contiguous - RECORD_HEADER_SIZE) return this.#fail(Status.CORRUPT_RECORD);
        if (contiguous > available) return this.#fail(Status.TRUNCATED_RECORD);
        this.#consumed += contiguous;
        continue;
      }
      if (type === RecordType.INVALID || type > RECORD_TYPE_MAX || length > this.maxPayload) {
        return this.#fail(Status.CORRUPT_RECORD);
      }
      const size = recordSize(length);
      if (size > contiguous) return this.#fail(Status.CORRUPT_RECORD);
      if (size > available) return this.#fail(Status.TRUNCATED_RECORD);
      this.#type = type;
      this.#length = length;
      this.#offset = index + RECORD_HEADER_SIZE;
      this.#peekedSize = size;
      return Status.OK;
    }
  }

  /** Step past the peeked record (its bytes stay valid until `publish()`). */
  advance(): Status {
    if (this.#error !== Status.OK) return this.#error;
    if (this.#peekedSize === 0) return Status.INVALID_STATE;
    this.#consumed += this.#peekedSize;
    this.#peekedSize = 0;
    return Status.OK;
  }

  /**
   * Store C once per batch. Returns true if the producer was waiting for space and the
   * caller must ring the doorbell (this call claimed the wakeup).
   */
  publish(): boolean {
    if (this.#consumed === 0) return false;
    this.#published = BigInt.asUintN(64, this.#published + BigInt(this.#consumed));
    // Pair (2), and the store half of the doorbell's store-fence-load.
    Atomics.store(this.#positions, C_INDEX, this.#published);
    this.#publishedIndex = (this.#publishedIndex + this.#consumed) & this.#mask;
    this.#known -= this.#consumed;
    this.#consumed = 0;
    if (Atomics.load(this.#flags, WAITING_INDEX) === 0) return false;
    return Atomics.exchange(this.#flags, WAITING_INDEX, 0) !== 0;
  }

  /**
   * Before sleeping: true if the caller may sleep until the doorbell rings (the flag is set
   * and the ring is still empty), false if records are waiting, progress is unpublished, or
   * the ring is corrupt (peek again).
   */
  prepareSleep(): boolean {
    if (this.#error !== Status.OK || this.#consumed !== 0 || this.#known !== 0) return false;
    Atomics.store(this.#flags, SLEEPING_INDEX, 1);
    const canSleep = this.#refresh() === Status.OK && this.#known === 0;
    if (!canSleep) Atomics.store(this.#flags, SLEEPING_INDEX, 0);
    return canSleep;
  }

  /** After waking: clear consumer_sleeping (it may already be clear). */
  endSleep(): void {
    Atomics.store(this.#flags, SLEEPING_INDEX, 0);
  }

  /** Store a liveness value (FEATURE_HEARTBEAT: monotonic milliseconds). */
  heartbeat(nowMs: number): void {
    Atomics.store(this.#positions, HEARTBEAT_INDEX, BigInt.asUintN(64, BigInt(Math.trunc(nowMs))));
  }
}
