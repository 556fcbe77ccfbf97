import { Random } from '@lumen/testkit';
import { describe, expect, it } from 'vitest';

import { APPS, MODELS } from './catalog.js';
import { activity, TrafficModel, type DemoLog } from './traffic.js';

const DAY = 86_400_000;
const start = Date.UTC(2025, 2, 3); // a Monday

function day(options: Partial<ConstructorParameters<typeof TrafficModel>[0]> = {}): DemoLog[] {
  const sut = new TrafficModel({ random: new Random(11), callsPerDay: 2000, diurnal: true, ...options });
  return [0, 1, 2, 3].flatMap((quarter) => sut.callsBetween(start + (quarter * DAY) / 4, start + ((quarter + 1) * DAY) / 4));
}

describe(TrafficModel.name, () => {
  it('sends about the asked number of calls a day, each starting inside its window, in time order', () => {
    const calls = day();
    expect(calls.length).toBeGreaterThan(1400);
    expect(calls.length).toBeLessThan(2600);
    const sut = new TrafficModel({ random: new Random(5), callsPerDay: 5000, diurnal: false });
    const window = sut.callsBetween(start, start + 3_600_000);
    const times = window.map((call) => Date.parse(call.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(start);
  });

  it('follows office hours: the quiet hours of the night carry fewer calls than the afternoon in Beijing', () => {
    const calls = day();
    const inHour = (hour: number) => calls.filter((call) => new Date(call.timestamp).getUTCHours() === hour).length;
    expect(inHour(6)).toBeGreaterThan(2 * inHour(12));
    expect(activity(start + 6 * 3_600_000)).toBeGreaterThan(activity(start + 12 * 3_600_000));
  });

  it('makes valid logs for every app, several providers, sessions of several turns and some failures', () => {
    const calls = day();
    expect(new Set(calls.map((call) => call.appId))).toEqual(new Set(APPS.map((app) => app.appId)));
    expect(new Set(calls.map((call) => call.provider))).toEqual(new Set(['openai', 'anthropic', 'deepseek', 'qwen']));
    const turnsPerSession = new Map<string, Set<string>>();
    for (const call of calls) turnsPerSession.set(call.sessionId, (turnsPerSession.get(call.sessionId) ?? new Set()).add(call.traceId));
    expect(Math.max(...[...turnsPerSession.values()].map((traces) => traces.size))).toBeGreaterThan(3);
    const errors = calls.filter((call) => call.status === 'ERROR');
    expect(errors.length / calls.length).toBeGreaterThan(0.003);
    expect(errors.length / calls.length).toBeLessThan(0.05);
    for (const call of calls) {
      expect(call.cachedInputTokens).toBeLessThanOrEqual(call.inputTokens);
      expect(Number.isInteger(call.latencyMs) && call.latencyMs >= 0).toBe(true);
      if (call.status === 'ERROR') expect([call.errorType, call.response, call.outputTokens]).toEqual([expect.any(String), null, 0]);
    }
  });

  it('raises errors and latency during an incident', () => {
    const incident = {
      from: start,
      to: start + DAY,
      model: 'deepseek-chat' as const,
      errorRate: 0.5,
      latencyFactor: 3,
      error: MODELS['deepseek-chat'].errors[0],
    };
    const deepseek = day({ incidents: [incident] }).filter((call) => call.model === 'deepseek-chat');
    const failed = deepseek.filter((call) => call.status === 'ERROR');
    expect(failed.length / deepseek.length).toBeGreaterThan(0.35);
    expect(new Set(failed.map((call) => call.errorType))).toEqual(new Set(['service_unavailable']));
  });
});
