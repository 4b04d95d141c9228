// A FIFO of received packets with a byte count, for one data channel.

export interface Packet {
  readonly data: Uint8Array;
  readonly isString: boolean;
}

export class PacketQueue {
  #items: Packet[] = [];
  #head = 0;
  #bytes = 0;

  get count(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  push(packet: Packet): void {
    this.#items.push(packet);
    this.#bytes += packet.data.byteLength;
  }

  shift(): Packet | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const packet = this.#items[this.#head]!;
    this.#items[this.#head] = undefined as unknown as Packet;
    this.#head++;
    this.#bytes -= packet.data.byteLength;
    // Compact once the consumed prefix dominates, keeping shift O(1) amortised.
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return packet;
  }
}
