import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

import type { Principal } from '../auth/api-key.service.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { AlertRule } from './alert-rule.entity.js';
import { MAX_WINDOW_MINUTES } from './alert-rule.validation.js';
import { AlertSilence } from './alert-silence.entity.js';
import { SilenceState, type AlertSilenceFilter, type AlertSilenceInput } from './alert-silence.types.js';

const MAX_REASON = 500;
const MAX_SCOPE = 256;
const MAX_SILENCE_MS = MAX_WINDOW_MINUTES * 60_000;

/** The state of a silence at `now`. */
export function silenceState(silence: Pick<AlertSilence, 'startsAt' | 'endsAt'>, now = new Date()): SilenceState {
  if (silence.endsAt <= now) return SilenceState.EXPIRED;
  return silence.startsAt > now ? SilenceState.SCHEDULED : SilenceState.ACTIVE;
}

/**
 * Silences: an admin sets one for a rule, an app, a model or everything, for a window; alerts that fire
 * inside it are recorded but notify no one (alert.transitions.ts). They end by themselves at endsAt.
 */
export class AlertSilenceService {
  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
  ) {}

  async create(input: AlertSilenceInput, by: Principal, now = new Date()): Promise<AlertSilence> {
    const reason = input.reason.trim();
    if (reason.length === 0 || reason.length > MAX_REASON) throw badUserInput('input.reason', `must be 1 to ${MAX_REASON} characters`);
    const { startsAt, endsAt } = window(input, now);
    const em = this.orm.em.fork();
    let rule: AlertRule | null = null;
    if (input.ruleId) {
      rule = await em.findOne(AlertRule, { id: uuidOrThrow(input.ruleId, 'input.ruleId') });
      if (!rule) throw badUserInput('input.ruleId', `no alert rule ${input.ruleId}`);
    }
    const silence = em.create(AlertSilence, {
      rule,
      appId: scope(input.appId, 'input.appId'),
      model: scope(input.model, 'input.model'),
      startsAt,
      endsAt,
      reason,
      createdBy: by.name,
      createdAt: now,
    });
    await em.flush();
    this.log.info(
      { silenceId: silence.id, keyId: by.keyId, ruleId: rule?.id, appId: silence.appId, model: silence.model, endsAt },
      'alert silence set',
    );
    return silence;
  }

  /** Ends a silence now (a scheduled one is ended before it starts). Expiring an expired silence changes nothing. */
  async expire(id: string, by: Principal, now = new Date()): Promise<AlertSilence> {
    const em = this.orm.em.fork();
    const silence = await em.findOne(AlertSilence, { id: uuidOrThrow(id) });
    if (!silence) throw notFound('Silence', id);
    if (silence.endsAt > now) {
      // A window stays non-empty (the check constraint): a scheduled silence becomes one that ended just now.
      const startsAt = silence.startsAt < now ? silence.startsAt : new Date(now.getTime() - 1);
      em.assign(silence, { startsAt, endsAt: now, expiredBy: by.name });
      await em.flush();
      this.log.info({ silenceId: silence.id, keyId: by.keyId }, 'alert silence expired');
    }
    return silence;
  }

  /** Silences, those ending last first. */
  async list(filter: AlertSilenceFilter | null | undefined, now = new Date()): Promise<AlertSilence[]> {
    const where: Record<string, unknown> = {};
    if (filter?.ruleId) where.rule = uuidOrThrow(filter.ruleId, 'filter.ruleId');
    const silences = await this.orm.em.fork().find(AlertSilence, where, { orderBy: { endsAt: 'desc', id: 'desc' }, limit: 500 });
    const states = filter?.state?.length ? new Set(filter.state) : null;
    return states ? silences.filter((silence) => states.has(silenceState(silence, now))) : silences;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, AlertSilence>> {
    const silences = await this.orm.em.fork().find(AlertSilence, { id: { $in: [...ids] } });
    return new Map(silences.map((silence) => [silence.id, silence]));
  }
}

function window(input: AlertSilenceInput, now: Date): { startsAt: Date; endsAt: Date } {
  if (input.durationMinutes != null) {
    if (input.endsAt) throw badUserInput('input.durationMinutes', 'give durationMinutes or endsAt, not both');
    if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > MAX_WINDOW_MINUTES)
      throw badUserInput('input.durationMinutes', `must be a whole number from 1 to ${MAX_WINDOW_MINUTES}`);
    const startsAt = input.startsAt ?? now;
    return { startsAt, endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000) };
  }
  if (!input.endsAt) throw badUserInput('input.endsAt', 'give durationMinutes, or endsAt (with startsAt for a scheduled window)');
  const startsAt = input.startsAt ?? now;
  if (input.endsAt <= startsAt) throw badUserInput('input.endsAt', 'must be after startsAt');
  if (input.endsAt <= now) throw badUserInput('input.endsAt', 'must be in the future');
  if (input.endsAt.getTime() - startsAt.getTime() > MAX_SILENCE_MS) throw badUserInput('input.endsAt', 'a silence lasts at most 31 days');
  return { startsAt, endsAt: input.endsAt };
}

function scope(value: string | null | undefined, field: string): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > MAX_SCOPE) throw badUserInput(field, `must be at most ${MAX_SCOPE} characters`);
  return trimmed || null;
}
