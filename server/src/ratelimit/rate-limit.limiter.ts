import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type RateBucket = 'ingest' | 'read';

export interface RateRule {
  /** Tokens added per second; 0 turns the limit off. */
  perSecond: number;
  /** Most tokens a key may hold: the size of a burst. */
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the request would be allowed; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * A token bucket per API key and bucket kind. `cost` is the work a request brings (logs or spans for
 * ingestion); a request costlier than the whole burst draws the full burst, so it can still pass.
 */
export interface RateLimiter {
  take(bucket: RateBucket, keyId: string, cost?: number): Promise<RateDecision>;
}

const ALLOWED: RateDecision = { allowed: true, retryAfterSeconds: 0 };

/** Buckets in this process: right for one replica. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly state = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rules: Record<RateBucket, RateRule>) {}

  async take(bucket: RateBucket, keyId: string, requested = 1): Promise<RateDecision> {
    const rule = this.rules[bucket];
    if (rule.perSecond <= 0) return ALLOWED;
    const cost = Math.min(requested, rule.burst);
    const now = Date.now();
    const key = `${bucket}:${keyId}`;
    const previous = this.state.get(key) ?? { tokens: rule.burst, at: now };
    const tokens = Math.min(rule.burst, previous.tokens + ((now - previous.at) * rule.perSecond) / 1000);
    if (this.state.size > 100_000) this.state.clear();
    if (tokens >= cost) {
      this.state.set(key, { tokens: tokens - cost, at: now });
      return ALLOWED;
    }
    this.state.set(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / rule.perSecond)) };
  }
}

// The refill, the check and the update happen in one step on the Redis server, with its clock, so all
// replicas share one bucket per key.
const TAKE_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return { allowed, retry }`;

/**
 * Buckets in Redis, shared by every replica. When Redis cannot be reached the request is allowed and
 * a warning logged: a Redis outage must not take the API down with it.
 */
export class RedisRateLimiter implements RateLimiter {
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly rules: Record<RateBucket, RateRule>,
    private readonly log: Logger,
  ) {}

  async take(bucket: RateBucket, keyId: string, requested = 1): Promise<RateDecision> {
    const rule = this.rules[bucket];
    if (rule.perSecond <= 0) return ALLOWED;
    const cost = Math.min(requested, rule.burst);
    try {
      const [allowed, retry] = (await this.redis.eval(
        TAKE_SCRIPT,
        1,
        `lumen:ratelimit:${bucket}:${keyId}`,
        rule.perSecond,
        rule.burst,
        cost,
      )) as [number, number];
      return allowed === 1 ? ALLOWED : { allowed: false, retryAfterSeconds: Math.max(1, retry) };
    } catch (error) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.log.warn({ err: error }, 'rate limit check failed (Redis unavailable); allowing requests');
      }
      return ALLOWED;
    }
  }
}
