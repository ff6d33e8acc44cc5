import { afterEach, describe, expect, it } from 'vitest';
import { serviceRetryDelay } from './service';

describe('service retry backoff', () => {
  const saved = process.env.SERVICE_RETRY_BASE_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SERVICE_RETRY_BASE_MS;
    else process.env.SERVICE_RETRY_BASE_MS = saved;
  });

  it('doubles from 1 s up to 5 min, with full jitter below that ceiling', () => {
    delete process.env.SERVICE_RETRY_BASE_MS;
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => serviceRetryDelay(n, top))).toEqual([999, 1999, 3999, 7999]);
    expect(serviceRetryDelay(30, top)).toBe(299_999);
    expect(serviceRetryDelay(3, () => 0)).toBe(0);
    expect(serviceRetryDelay(3, () => 0.5)).toBe(2000);
  });

  it('takes its base from SERVICE_RETRY_BASE_MS', () => {
    process.env.SERVICE_RETRY_BASE_MS = '10';
    expect(serviceRetryDelay(2, () => 0.999999)).toBe(19);
  });
});
