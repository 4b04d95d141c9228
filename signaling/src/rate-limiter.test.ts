import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst of one second, then refills at the rate', () => {
    let t = 0;
    const limiter = new RateLimiter(10, () => t);
    for (let i = 0; i < 10; i++) expect(limiter.take()).toBe(true);
    expect(limiter.take()).toBe(false);
    t += 100; // one token back
    expect(limiter.take()).toBe(true);
    expect(limiter.take()).toBe(false);
    t += 10_000; // never more than one second's worth
    for (let i = 0; i < 10; i++) expect(limiter.take()).toBe(true);
    expect(limiter.take()).toBe(false);
  });

  it('a steady rate at the limit is never refused', () => {
    let t = 0;
    const limiter = new RateLimiter(50, () => t);
    for (let i = 0; i < 1000; i++) {
      t += 20;
      expect(limiter.take()).toBe(true);
    }
  });
});
