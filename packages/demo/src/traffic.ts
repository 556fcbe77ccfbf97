import type { Filled, LogInput } from '@lumen/contract';
import type { Random } from '@lumen/testkit';

import { APPS, MODELS, type AppProfile, type ErrorKind, type ModelKey, type ModelProfile, type Step } from './catalog.js';
import { embeddingInput, exchangeFor } from './prompts.js';

/** A log as ingestLogs takes it (the fields the demo sends), typed from the schema. */
export type DemoLog = Filled<
  LogInput,
  | 'eventId'
  | 'timestamp'
  | 'appId'
  | 'userId'
  | 'sessionId'
  | 'traceId'
  | 'provider'
  | 'model'
  | 'operation'
  | 'prompt'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'latencyMs'
  | 'metadata'
  | 'tags'
> &
  Required<Pick<LogInput, 'response' | 'timeToFirstTokenMs' | 'errorType' | 'errorMessage'>> & { status: 'SUCCESS' | 'ERROR' };

/** A stretch of time in which one model, provider or app misbehaves: more errors, slower answers. */
export interface Incident {
  from: number;
  to: number;
  model?: ModelKey;
  provider?: string;
  appId?: string;
  errorRate: number;
  latencyFactor: number;
  error?: ErrorKind;
}

export interface TrafficOptions {
  random: Random;
  /** Average model calls per day (before the time-of-day curve). */
  callsPerDay: number;
  /** Follow office hours in Asia and America (backfill); off for a steady live trickle. */
  diurnal: boolean;
  incidents?: readonly Incident[];
}

interface Session {
  app: AppProfile;
  userId: string;
  sessionId: string;
  turn: number;
  turns: number;
  nextTurnAt: number;
}

const DAY_MS = 86_400_000;
const NAMES = [
  'alice',
  'bob',
  'chen',
  'dmitri',
  'emma',
  'farah',
  'gao',
  'hiro',
  'ines',
  'jamal',
  'kim',
  'li',
  'maria',
  'noah',
  'olu',
  'priya',
  'quinn',
  'ravi',
  'sara',
  'tom',
];

/** Share of peak traffic at an instant: office hours in Beijing and New York, quieter weekends. */
export function activity(at: number): number {
  const date = new Date(at);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const bell = (center: number, width: number) => {
    const distance = Math.min(Math.abs(hour - center), 24 - Math.abs(hour - center));
    return Math.exp(-(distance * distance) / (2 * width * width));
  };
  const weekday = date.getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.55 : 1;
  // 06:00 UTC is 14:00 in Beijing; 18:00 UTC is 13:00 or 14:00 in New York.
  return (0.18 + 0.82 * Math.max(bell(6, 3.2), 0.8 * bell(18, 3.5))) * weekend;
}

/** activity() averaged over a week, in 10-minute steps. */
function averageActivity(): number {
  const steps = (7 * DAY_MS) / 600_000;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += activity(Date.UTC(2025, 0, 6) + i * 600_000);
  return sum / steps;
}

function callsPerSession(app: AppProfile): number {
  return ((app.turns[0] + app.turns[1]) / 2) * app.steps.length;
}

/**
 * Generates model calls as a platform's applications would make them: sessions of users arrive as
 * a Poisson process (following the time of day), each session has a few turns, each turn is one
 * trace of one or more calls. State carries over between windows, so consecutive calls to
 * `callsBetween` continue the same sessions.
 */
export class TrafficModel {
  private readonly sessions: Session[] = [];
  private readonly sessionRatePerMs: number;
  private nextArrival: number | null = null;

  constructor(private readonly options: TrafficOptions) {
    const totalWeight = APPS.reduce((sum, app) => sum + app.weight, 0);
    const meanCalls = APPS.reduce((sum, app) => sum + (app.weight / totalWeight) * callsPerSession(app), 0);
    // Sessions arrive at the peak rate and are kept with probability activity(t): scale the peak so
    // that a day averages callsPerDay.
    const meanActivity = options.diurnal ? averageActivity() : 1;
    this.sessionRatePerMs = options.callsPerDay / meanCalls / DAY_MS / meanActivity;
  }

  /** The calls that start in [from, to), in time order. */
  callsBetween(from: number, to: number): DemoLog[] {
    const random = this.options.random;
    let arrival = this.nextArrival ?? from + random.exponential(this.sessionRatePerMs);
    while (arrival < to) {
      if (!this.options.diurnal || random.chance(activity(arrival))) this.sessions.push(this.startSession(arrival));
      arrival += random.exponential(this.sessionRatePerMs);
    }
    this.nextArrival = arrival;
    const calls: DemoLog[] = [];
    for (const session of this.sessions) {
      while (session.turn < session.turns && session.nextTurnAt < to) {
        if (session.nextTurnAt >= from) calls.push(...this.turn(session, session.nextTurnAt));
        session.turn += 1;
        session.nextTurnAt += random.logNormal(session.app.turnGapSeconds * 1000, 0.6);
      }
    }
    for (let i = this.sessions.length - 1; i >= 0; i--) if (this.sessions[i]!.turn >= this.sessions[i]!.turns) this.sessions.splice(i, 1);
    return calls.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  }

  private startSession(at: number): Session {
    const random = this.options.random;
    const app = random.weighted(APPS.map((candidate) => [candidate, candidate.weight] as const));
    const rank = random.zipf(app.users.count);
    const userId =
      app.users.prefix.endsWith('-') && app.users.count > 3
        ? `${app.users.prefix}${NAMES[rank % NAMES.length]}${rank > NAMES.length ? rank : ''}`
        : `${app.users.prefix}${10_000 + rank * 37}`;
    return { app, userId, sessionId: `sess_${random.hex(16)}`, turn: 0, turns: random.int(app.turns[0], app.turns[1]), nextTurnAt: at };
  }

  /** One turn: a trace whose steps run one after the other; a failed step ends the turn. */
  private turn(session: Session, at: number): DemoLog[] {
    const traceId = this.options.random.hex(32);
    const calls: DemoLog[] = [];
    let start = at;
    for (const step of session.app.steps) {
      const call = this.call(session, step, traceId, start);
      calls.push(call);
      if (call.status === 'ERROR') break;
      start += call.latencyMs + 15;
    }
    return calls;
  }

  private call(session: Session, step: Step, traceId: string, at: number): DemoLog {
    const random = this.options.random;
    const key = random.weighted(step.models);
    const model: ModelProfile = MODELS[key];
    const incident = this.options.incidents?.find(
      (i) =>
        at >= i.from &&
        at < i.to &&
        (!i.model || i.model === key) &&
        (!i.provider || i.provider === model.provider) &&
        (!i.appId || i.appId === session.app.appId),
    );
    const failed = random.chance(incident ? incident.errorRate : model.errorRate);
    const slow = incident?.latencyFactor ?? 1;
    const embedding = step.operation === 'embedding';
    const text = embedding
      ? { prompt: embeddingInput(session.app.prompts, random), response: null }
      : exchangeFor(session.app.prompts, random);
    const inputTokens = Math.max(1, Math.round(random.logNormal(step.inputTokens.median, step.inputTokens.sigma)));
    const cachedInputTokens =
      session.turn > 0 && step.cachedShare > 0 ? Math.floor(inputTokens * step.cachedShare * (0.75 + 0.25 * random.next())) : 0;
    const base = {
      eventId: random.uuid(),
      timestamp: new Date(at).toISOString(),
      appId: session.app.appId,
      userId: session.userId,
      sessionId: session.sessionId,
      traceId,
      provider: model.provider,
      model: model.model,
      operation: step.operation,
      prompt: text.prompt,
      inputTokens,
      cachedInputTokens,
      metadata: {
        region: session.app.region,
        sdk: session.app.sdk,
        requestId: `req_${random.hex(24)}`,
        temperature: embedding ? undefined : random.pick([0, 0.2, 0.7]),
        stream: step.stream,
        turn: session.turn + 1,
      },
      tags: [...session.app.tags, ...(step.stream ? ['streaming'] : [])],
    };
    if (failed) {
      const error = incident?.error ?? random.pick(model.errors);
      return {
        ...base,
        response: null,
        outputTokens: 0,
        latencyMs: Math.round(Math.min(error.latencyMs * 1.02, random.logNormal(error.latencyMs, 0.15))),
        timeToFirstTokenMs: null,
        status: 'ERROR',
        errorType: error.type,
        errorMessage: error.message,
      };
    }
    const outputTokens = embedding ? 0 : Math.max(1, Math.round(random.logNormal(step.outputTokens.median, step.outputTokens.sigma)));
    const ttft = random.logNormal(model.ttftMs, 0.3) * slow;
    const generation = outputTokens * model.msPerOutputToken * random.logNormal(1, 0.15) * slow;
    return {
      ...base,
      response: text.response,
      outputTokens,
      latencyMs: Math.round(embedding ? ttft + inputTokens / 50 : ttft + generation),
      timeToFirstTokenMs: step.stream ? Math.round(ttft) : null,
      status: 'SUCCESS',
      errorType: null,
      errorMessage: null,
    };
  }
}
