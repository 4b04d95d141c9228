// A token bucket: it holds at most one second's allowance (`perSecond` tokens) and refills
// continuously at `perSecond` per second; each message takes one token. A client may thus
// send a burst of `perSecond` messages, then `perSecond` a second on average.

export type Clock = () => number; // milliseconds, never decreasing

export class RateLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: Clock;
  #tokens: number;
  #last: number;

  constructor(perSecond: number, now: Clock) {
    this.#capacity = perSecond;
    this.#perMs = perSecond / 1000;
    this.#now = now;
    this.#tokens = perSecond;
    this.#last = now();
  }

  /** Takes a token; false when none is left (the message is over the limit). */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
