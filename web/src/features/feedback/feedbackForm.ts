import type { Problem } from '../../composables/useEditorForm';
import type { FeedbackInput, FeedbackRating } from '../../graphql/generated/operations';

/** Feedback as the form holds it: every value a string, exactly as typed. */
export interface FeedbackForm {
  logEventId: string;
  traceId: string;
  appId: string;
  userId: string;
  rating: FeedbackRating | '';
  /** '' (no score) or '1' … '5'. */
  score: string;
  category: string;
  comment: string;
}

export const FEEDBACK_FORM_FIELDS = ['logEventId', 'traceId', 'appId', 'userId', 'rating', 'score', 'category', 'comment'] as const;
export type FeedbackFormField = (typeof FEEDBACK_FORM_FIELDS)[number];

/** The API names a refused field `input.<field>`; these are the names fieldErrors() should look for. */
export const FEEDBACK_INPUT_FIELDS = FEEDBACK_FORM_FIELDS.map((field) => `input.${field}`);

/** The categories the form offers; any other short text is allowed too. */
export const SUGGESTED_CATEGORIES = ['wrong answer', 'too slow', 'incomplete', 'off topic', 'error', 'helpful', 'accurate'] as const;

// The server's rules (server/src/feedback/feedback.validation.ts, log.validation.ts FIELD_LIMITS).
const LIMITS: Record<Exclude<FeedbackFormField, 'rating' | 'score'>, number> = {
  logEventId: 128,
  traceId: 256,
  appId: 128,
  userId: 256,
  category: 64,
  comment: 4000,
};

export function emptyFeedbackForm(prefill: Partial<FeedbackForm> = {}): FeedbackForm {
  return { logEventId: '', traceId: '', appId: '', userId: '', rating: '', score: '', category: '', comment: '', ...prefill };
}

/** Every problem the server would report, found before sending; empty when the form is valid. */
export function validateFeedbackForm(form: FeedbackForm): Partial<Record<FeedbackFormField, Problem>> {
  const problems: Partial<Record<FeedbackFormField, Problem>> = {};
  for (const [field, max] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, number]>) {
    if ([...form[field].trim()].length > max) problems[field] = { key: 'tooLong', params: { max } };
  }
  if (!form.logEventId.trim() && !form.traceId.trim() && !form.appId.trim()) problems.logEventId ??= { key: 'target' };
  if (!form.rating) problems.rating = { key: 'rating' };
  if (form.score !== '' && !/^[1-5]$/.test(form.score)) problems.score = { key: 'score' };
  return problems;
}

/**
 * The API input for a valid form. `feedbackId` is made once per form: a second click, or a retry
 * after a timeout, returns the stored feedback instead of storing it twice.
 */
export function toFeedbackInput(form: FeedbackForm, feedbackId: string): FeedbackInput {
  const text = (value: string) => value.trim() || null;
  return {
    feedbackId,
    logEventId: text(form.logEventId),
    traceId: text(form.traceId),
    appId: text(form.appId),
    userId: text(form.userId),
    rating: form.rating as FeedbackRating,
    score: form.score === '' ? null : Number(form.score),
    category: text(form.category),
    comment: text(form.comment),
  };
}

/** A new id for one submission; made from getRandomValues, which (unlike randomUUID) plain-http pages have too. */
export function newFeedbackId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
