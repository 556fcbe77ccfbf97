import type { TimeRangeSelection } from '../../composables/useTimeRange';

/** One end user over a range: their calls and what they said about the answers. */
export interface UserRow {
  userId: string;
  calls: number;
  errors: number;
  errorRate: number | null;
  tokens: number;
  cost: string;
  feedback: number;
  negative: number;
}

export const USER_SORTS = ['calls', 'tokens', 'cost', 'errorRate', 'negative'] as const;
export type UserSort = (typeof USER_SORTS)[number];

interface UsageGroup {
  key?: string | null;
  requestCount: number;
  errorCount: number;
  errorRate?: number | null;
  totalTokens: number;
  totalCost: string;
}
interface FeedbackGroup {
  key?: string | null;
  totalCount: number;
  negativeCount: number;
}

/** Joins usage and feedback by user (calls without a user are left out; a user with only feedback is kept). */
export function mergeUsers(usage: readonly UsageGroup[], feedback: readonly FeedbackGroup[]): UserRow[] {
  const rows = new Map<string, UserRow>();
  const row = (userId: string) => {
    let found = rows.get(userId);
    if (!found) {
      found = { userId, calls: 0, errors: 0, errorRate: null, tokens: 0, cost: '0', feedback: 0, negative: 0 };
      rows.set(userId, found);
    }
    return found;
  };
  for (const group of usage) {
    if (group.key == null) continue;
    Object.assign(row(group.key), {
      calls: group.requestCount,
      errors: group.errorCount,
      errorRate: group.errorRate ?? null,
      tokens: group.totalTokens,
      cost: group.totalCost,
    });
  }
  for (const group of feedback) {
    if (group.key == null) continue;
    Object.assign(row(group.key), { feedback: group.totalCount, negative: group.negativeCount });
  }
  return [...rows.values()];
}

const value = (row: UserRow, by: UserSort): number =>
  by === 'cost'
    ? Number(row.cost)
    : by === 'errorRate'
      ? (row.errorRate ?? -1)
      : by === 'calls'
        ? row.calls
        : by === 'tokens'
          ? row.tokens
          : row.negative;

/** Largest first by the chosen figure, then by calls, then by name. */
export function rankUsers(rows: readonly UserRow[], by: UserSort): UserRow[] {
  return [...rows].sort((a, b) => value(b, by) - value(a, by) || b.calls - a.calls || a.userId.localeCompare(b.userId));
}

/** The address query that opens another page on one user over the same range. */
export function userQuery(userId: string, selection: TimeRangeSelection): Record<string, string> {
  return selection.kind === 'custom' ? { userId, from: selection.from, to: selection.to } : { userId, range: selection.preset };
}
