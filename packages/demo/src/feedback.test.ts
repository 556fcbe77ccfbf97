import { Random } from '@lumen/testkit';
import { describe, expect, it } from 'vitest';

import { FAILING_APP, feedbackOnBatch, type DemoFeedback } from './feedback.js';
import { TrafficModel, type DemoLog } from './traffic.js';

const start = Date.UTC(2025, 2, 3);

function week(): { calls: DemoLog[]; feedback: DemoFeedback[] } {
  const traffic = new TrafficModel({ random: new Random(3), callsPerDay: 4000, diurnal: true });
  const random = new Random(4);
  const calls: DemoLog[] = [];
  const feedback: DemoFeedback[] = [];
  for (let hour = 0; hour < 7 * 24; hour += 6) {
    const batch = traffic.callsBetween(start + hour * 3_600_000, start + (hour + 6) * 3_600_000);
    calls.push(...batch);
    feedback.push(...feedbackOnBatch(batch, random));
  }
  return { calls, feedback };
}

describe(feedbackOnBatch.name, () => {
  const { calls, feedback } = week();
  const byEvent = new Map(calls.map((call) => [call.eventId, call]));
  const lastOfTrace = new Map<string, DemoLog>();
  for (const call of calls) lastOfTrace.set(call.traceId, call);
  const callOf = (item: DemoFeedback) =>
    item.logEventId ? byEvent.get(item.logEventId) : item.traceId ? lastOfTrace.get(item.traceId) : undefined;
  const negativeShare = (items: DemoFeedback[]) => items.filter((item) => item.rating === 'NEGATIVE').length / items.length;

  it('judges the answer a user saw: the last call of a trace, never a batch job', () => {
    expect(feedback.length).toBeGreaterThan(500);
    for (const item of feedback) {
      const call = callOf(item);
      if (!call) continue;
      expect(lastOfTrace.get(call.traceId)).toBe(call);
      expect(call.appId).not.toBe('doc-summarizer');
    }
  });

  it('rates failed calls negatively, as errors, and most slow ones as too slow', () => {
    const onErrors = feedback.filter((item) => callOf(item)?.status === 'ERROR');
    expect(onErrors.length).toBeGreaterThan(10);
    expect(negativeShare(onErrors)).toBeGreaterThan(0.85);
    expect(onErrors.filter((item) => item.category === 'error').length / onErrors.length).toBeGreaterThan(0.85);
    expect(feedback.some((item) => item.category === 'too slow')).toBe(true);
  });

  it('draws more negative feedback on the failing app than on any other', () => {
    const apps = new Set(feedback.map((item) => callOf(item)?.appId).filter(Boolean));
    const share = (app: string) => negativeShare(feedback.filter((item) => callOf(item)?.appId === app));
    for (const app of apps) if (app !== FAILING_APP) expect(share(FAILING_APP)).toBeGreaterThan(share(app!) + 0.15);
  });

  it('gives scores that agree with the rating, comments in the app’s language, and categories within 64 characters', () => {
    for (const item of feedback) {
      if (item.score !== undefined) expect(item.rating === 'POSITIVE' ? item.score >= 4 : item.score <= 3).toBe(true);
      expect((item.category ?? '').length).toBeLessThanOrEqual(64);
    }
    const chinese = feedback.filter((item) => item.comment && callOf(item)?.appId === 'zh-customer-service');
    expect(chinese.length).toBeGreaterThan(0);
    expect(chinese.every((item) => /[\u4e00-\u9fff]/.test(item.comment!))).toBe(true);
  });

  it('links most feedback by eventId, some by trace only, and leaves a few waiting for a call that never arrives', () => {
    const byEventId = feedback.filter((item) => item.logEventId && byEvent.has(item.logEventId));
    const byTrace = feedback.filter((item) => !item.logEventId && item.traceId);
    const waiting = feedback.filter((item) => item.logEventId && !byEvent.has(item.logEventId));
    expect(byEventId.length / feedback.length).toBeGreaterThan(0.8);
    expect(byTrace.length).toBeGreaterThan(0);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((item) => item.appId && item.userId)).toBe(true);
    expect(new Set(feedback.map((item) => item.feedbackId)).size).toBe(feedback.length);
  });
});
