import { Random } from '@lumen/testkit';
import { describe, expect, it } from 'vitest';

describe(Random.name, () => {
  it('repeats the same sequence for the same seed', () => {
    const a = new Random(7);
    const b = new Random(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(new Random(8).next()).not.toBe(new Random(7).next());
  });

  it('draws log-normal values around their median, with a long right tail', () => {
    const sut = new Random(1);
    const values = Array.from({ length: 4000 }, () => sut.logNormal(500, 0.5)).sort((a, b) => a - b);
    expect(values[2000]).toBeGreaterThan(450);
    expect(values[2000]).toBeLessThan(550);
    expect(values[3800]! - values[2000]!).toBeGreaterThan(values[2000]! - values[200]!);
  });

  it('picks by weight and makes valid version-4 uuids', () => {
    const sut = new Random(3);
    const picks = Array.from({ length: 3000 }, () =>
      sut.weighted([
        ['a', 9],
        ['b', 1],
      ] as const),
    );
    const share = picks.filter((pick) => pick === 'a').length / picks.length;
    expect(share).toBeGreaterThan(0.85);
    expect(share).toBeLessThan(0.95);
    expect(sut.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
