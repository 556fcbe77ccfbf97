import type { Random } from '@lumen/testkit';

import type { DemoLog } from './traffic.js';

/** Feedback as submitFeedback takes it (the fields the demo sends). */
export interface DemoFeedback {
  feedbackId: string;
  logEventId?: string;
  traceId?: string;
  appId?: string;
  userId?: string;
  rating: 'POSITIVE' | 'NEGATIVE';
  score?: number;
  comment?: string;
  category?: string;
}

/** How each app's users react. Apps without people in front of them (the batch summariser) give none. */
interface AppMood {
  /** Share of answers that get a thumbs up or down when nothing went wrong. */
  rate: number;
  /** Share of that feedback that is negative: how often the answers are wrong or unhelpful. */
  negativeShare: number;
  /** A turn (every call of the trace) slower than this (ms) annoys the user. */
  slowMs: number;
  chinese: boolean;
}

/**
 * The SQL copilot is the platform's failing app: its reasoning model is slow and fails most often,
 * and its queries are often wrong, so its users complain the most.
 */
export const FAILING_APP = 'sql-copilot';

const MOODS: Record<string, AppMood> = {
  'support-chat': { rate: 0.08, negativeShare: 0.12, slowMs: 8_000, chinese: false },
  'zh-customer-service': { rate: 0.07, negativeShare: 0.15, slowMs: 12_000, chinese: true },
  'code-assistant': { rate: 0.06, negativeShare: 0.18, slowMs: 45_000, chinese: false },
  [FAILING_APP]: { rate: 0.14, negativeShare: 0.55, slowMs: 40_000, chinese: false },
};

/** The categories of the demo's negative feedback. */
export const COMPLAINTS = ['wrong answer', 'too slow', 'error', 'incomplete', 'off topic'] as const;
type Category = (typeof COMPLAINTS)[number] | 'helpful' | 'accurate';

const COMMENTS: Record<Category, { en: readonly string[]; zh: readonly string[] }> = {
  'wrong answer': {
    en: [
      'It says the order shipped, but it has not.',
      'The query joins on the wrong column and double-counts revenue.',
      'That API does not exist in the version we use.',
      'Wrong refund policy: we changed it last month.',
      'The numbers do not match our dashboard.',
    ],
    zh: ['回答的退款时间不对，实际是 7 个工作日。', '订单状态说错了，还没有发货。', '发票类型说明有误。'],
  },
  'too slow': {
    en: ['Took forever to answer.', 'I gave up waiting and wrote the query myself.', 'Much slower than yesterday.'],
    zh: ['等了太久才回复。', '响应太慢了。'],
  },
  error: {
    en: ['It just said something went wrong.', 'No answer at all, only an error.', 'Failed twice in a row.'],
    zh: ['显示系统繁忙，没有回答。', '一直报错，无法使用。'],
  },
  incomplete: {
    en: ['Only answered half of my question.', 'The code stops in the middle of the function.'],
    zh: ['只回答了一半。', '没有说明具体步骤。'],
  },
  'off topic': {
    en: ['This has nothing to do with what I asked.', 'It answered a different question.'],
    zh: ['答非所问。'],
  },
  helpful: {
    en: ['Exactly what I needed, thanks!', 'Saved me a call to support.', 'Clear and quick.'],
    zh: ['很有帮助，谢谢！', '解决了我的问题。'],
  },
  accurate: {
    en: ['Correct on the first try.', 'The query ran and the numbers are right.'],
    zh: ['回答准确。'],
  },
};

const NEGATIVE_CATEGORIES: readonly (readonly [Category, number])[] = [
  ['wrong answer', 5],
  ['incomplete', 2],
  ['off topic', 1],
];

/** The call each user saw the result of (the last call of every trace in the batch) and how long the whole turn took. */
function answers(batch: readonly DemoLog[]): Array<{ call: DemoLog; waitedMs: number }> {
  const turns = new Map<string, { first: DemoLog; last: DemoLog }>();
  for (const call of batch) {
    const turn = turns.get(call.traceId);
    if (!turn) turns.set(call.traceId, { first: call, last: call });
    else if (turn.last.timestamp <= call.timestamp) turn.last = call;
  }
  return [...turns.values()].map(({ first, last }) => ({
    call: last,
    waitedMs: Date.parse(last.timestamp) + last.latencyMs - Date.parse(first.timestamp),
  }));
}

function opinion(
  call: DemoLog,
  waitedMs: number,
  mood: AppMood,
  random: Random,
): { rating: DemoFeedback['rating']; category?: Category } | null {
  if (call.status === 'ERROR') {
    if (!random.chance(0.35)) return null;
    return random.chance(0.95) ? { rating: 'NEGATIVE', category: 'error' } : { rating: 'POSITIVE' };
  }
  if (waitedMs > mood.slowMs) {
    if (!random.chance(0.25)) return null;
    return random.chance(0.8) ? { rating: 'NEGATIVE', category: 'too slow' } : { rating: 'POSITIVE', category: 'helpful' };
  }
  if (!random.chance(mood.rate)) return null;
  if (random.chance(mood.negativeShare)) return { rating: 'NEGATIVE', category: random.weighted(NEGATIVE_CATEGORIES) };
  return { rating: 'POSITIVE', category: random.chance(0.5) ? random.pick(['helpful', 'accurate'] as const) : undefined };
}

/**
 * End-user feedback on a batch of stored calls: thumbs up or down, often a score and a comment.
 * Errors and slow answers draw complaints; the failing app draws the most. Most feedback names
 * its call by eventId, some only by trace, and a few name a call that never reached Lumen (so
 * they stay unlinked).
 */
export function feedbackOnBatch(batch: readonly DemoLog[], random: Random): DemoFeedback[] {
  const out: DemoFeedback[] = [];
  for (const { call, waitedMs } of answers(batch)) {
    const mood = MOODS[call.appId];
    if (!mood) continue;
    const view = opinion(call, waitedMs, mood, random);
    if (!view) continue;
    const negative = view.rating === 'NEGATIVE';
    const feedback: DemoFeedback = { feedbackId: `fb_${random.hex(20)}`, rating: view.rating };
    if (view.category) feedback.category = view.category;
    if (random.chance(0.75))
      feedback.score = negative
        ? random.weighted([
            [1, 3],
            [2, 4],
            [3, 1],
          ] as const)
        : random.weighted([
            [4, 2],
            [5, 3],
          ] as const);
    if (view.category && random.chance(0.6)) feedback.comment = random.pick(COMMENTS[view.category][mood.chinese ? 'zh' : 'en']);
    const link = random.next();
    if (link < 0.02) Object.assign(feedback, { logEventId: random.uuid(), appId: call.appId, userId: call.userId });
    else if (link < 0.12) feedback.traceId = call.traceId;
    else feedback.logEventId = call.eventId;
    out.push(feedback);
  }
  return out;
}
