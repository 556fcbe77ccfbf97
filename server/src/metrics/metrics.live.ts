import { Repeater, SlidingBuffer } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';

import { badUserInput } from '../graphql/errors.js';
import { PeriodicJob } from '../jobs/periodic-job.js';
import type { MetricsFilter } from '../logs/log.types.js';
import { cleanFilter } from './metrics.plan.js';
import type { MetricsService } from './metrics.service.js';
import type { MetricsSnapshot } from './metrics.types.js';

export const LIVE_WINDOW_MIN_SECONDS = 10;
export const LIVE_WINDOW_MAX_SECONDS = 86_400;

/** Subscribers sharing one (filter, window): computed once per tick, pushed to all of them. */
interface Feed {
  filter: MetricsFilter;
  windowSeconds: number;
  subscribers: Set<(snapshot: MetricsSnapshot) => unknown>;
  last?: MetricsSnapshot;
  lastSummary?: string;
}

/**
 * The liveMetrics feeds. Every `intervalMs` each distinct (filter, window) with subscribers is computed
 * once through MetricsService.summary and pushed to its subscribers only when the summary changed.
 * Feeds live in the replica that serves the sockets: every replica reads the same database, so none
 * needs another's results (the shared pub/sub would deliver them twice once it spans replicas).
 * A slow client keeps only the newest snapshot (a sliding buffer of one), never a growing queue.
 */
export class LiveMetrics {
  private readonly feeds = new Map<string, Feed>();
  private ticking?: Promise<void>;
  /** Summaries computed since start (one per feed per tick): lets tests see that sharing works. */
  computations = 0;

  constructor(
    private readonly metrics: MetricsService,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  /** The background job that ticks every `intervalMs`. */
  job(): PeriodicJob {
    return new PeriodicJob('live-metrics', this.intervalMs, () => this.tick(), this.log);
  }

  /** Validates the arguments and returns the stream of snapshots for one subscriber. */
  subscribe(filter: MetricsFilter | null | undefined, windowSeconds: number): AsyncIterable<MetricsSnapshot> {
    if (!Number.isInteger(windowSeconds) || windowSeconds < LIVE_WINDOW_MIN_SECONDS || windowSeconds > LIVE_WINDOW_MAX_SECONDS) {
      throw badUserInput('windowSeconds', `must be a whole number from ${LIVE_WINDOW_MIN_SECONDS} to ${LIVE_WINDOW_MAX_SECONDS}`);
    }
    const clean = cleanFilter(filter);
    const key = feedKey(clean, windowSeconds);
    return new Repeater<MetricsSnapshot>(async (push, stop) => {
      let feed = this.feeds.get(key);
      const isNew = !feed;
      feed ??= { filter: clean, windowSeconds, subscribers: new Set() };
      this.feeds.set(key, feed);
      feed.subscribers.add(push);
      if (feed.last) await push(feed.last);
      else if (isNew) await this.refresh(feed);
      await stop;
      feed.subscribers.delete(push);
      if (feed.subscribers.size === 0 && this.feeds.get(key) === feed) this.feeds.delete(key);
    }, new SlidingBuffer(1));
  }

  get feedCount(): number {
    return this.feeds.size;
  }

  /** Streams open on one feed (subscribers that share one execution count once, see http/ws-shared-subscriptions.ts). */
  streamCount(filter: MetricsFilter | null | undefined, windowSeconds: number): number {
    return this.feeds.get(feedKey(cleanFilter(filter), windowSeconds))?.subscribers.size ?? 0;
  }

  /** Recomputes every feed once; a tick that finds the previous one still running joins it. */
  tick(): Promise<void> {
    if (!this.ticking) {
      const run = this.refreshAll();
      this.ticking = run;
      void run.finally(() => {
        if (this.ticking === run) this.ticking = undefined;
      });
    }
    return this.ticking;
  }

  private async refreshAll(): Promise<void> {
    for (const feed of [...this.feeds.values()]) await this.refresh(feed);
  }

  private async refresh(feed: Feed): Promise<void> {
    const at = new Date();
    try {
      this.computations++;
      const summary = await this.metrics.summary({ from: new Date(at.getTime() - feed.windowSeconds * 1000), to: at }, feed.filter);
      const json = JSON.stringify(summary);
      if (json === feed.lastSummary) return;
      feed.lastSummary = json;
      feed.last = { at, windowSeconds: feed.windowSeconds, summary };
      for (const push of feed.subscribers) push(feed.last);
    } catch (error) {
      this.log.error({ err: error, filter: feed.filter, windowSeconds: feed.windowSeconds }, 'live metrics computation failed');
    }
  }
}

function feedKey(filter: MetricsFilter, windowSeconds: number): string {
  return JSON.stringify([filter.appId, filter.model, filter.provider, filter.userId, windowSeconds]);
}
