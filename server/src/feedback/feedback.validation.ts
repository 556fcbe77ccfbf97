import { badUserInput } from '../graphql/errors.js';
import { FIELD_LIMITS, stripNul } from '../logs/log.validation.js';
import type { FeedbackRating } from './feedback.entity.js';
import type { FeedbackInput } from './feedback.types.js';

/** Feedback that passed validation: trimmed, empty strings as null. */
export interface NormalizedFeedback {
  feedbackId: string | null;
  logEventId: string | null;
  traceId: string | null;
  appId: string | null;
  userId: string | null;
  rating: FeedbackRating;
  score: number | null;
  comment: string | null;
  category: string | null;
}

/** Largest values, in characters. Identifiers match the limits of the logs they point at. */
export const FEEDBACK_LIMITS = {
  feedbackId: 128,
  logEventId: FIELD_LIMITS.eventId,
  traceId: FIELD_LIMITS.traceId,
  appId: FIELD_LIMITS.appId,
  userId: FIELD_LIMITS.userId,
  comment: 4000,
  category: 64,
  note: 2000,
} as const;

/** Checks a submission at the edge; the first problem is thrown as BAD_USER_INPUT naming `input.<field>`. */
export function validateFeedback(input: FeedbackInput): NormalizedFeedback {
  const text = (field: Exclude<keyof typeof FEEDBACK_LIMITS, 'note'>) =>
    limitedText(input[field], `input.${field}`, FEEDBACK_LIMITS[field]);
  const feedback: NormalizedFeedback = {
    feedbackId: text('feedbackId'),
    logEventId: text('logEventId'),
    traceId: text('traceId'),
    appId: text('appId'),
    userId: text('userId'),
    rating: input.rating,
    score: input.score ?? null,
    comment: text('comment'),
    category: text('category'),
  };
  if (feedback.score !== null && !(Number.isInteger(feedback.score) && feedback.score >= 1 && feedback.score <= 5)) {
    throw badUserInput('input.score', 'must be a whole number from 1 to 5');
  }
  if (!feedback.logEventId && !feedback.traceId && !feedback.appId) {
    throw badUserInput('input.logEventId', 'give logEventId or traceId to link the feedback to a model call (or at least appId)');
  }
  return feedback;
}

export function validateNote(note: string | null | undefined): string | null {
  return limitedText(note, 'note', FEEDBACK_LIMITS.note);
}

/** Trimmed text or null when empty; longer than `max` characters (code points) is refused, not cut. */
function limitedText(value: string | null | undefined, field: string, max: number): string | null {
  if (value == null) return null;
  const trimmed = stripNul(value.trim());
  if (trimmed === '') return null;
  if (trimmed.length > max && [...trimmed].length > max) throw badUserInput(field, `must be at most ${max} characters`);
  return trimmed;
}
