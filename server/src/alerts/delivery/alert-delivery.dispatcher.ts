import type { Logger } from 'pino';

import type { NotificationConfig } from '../../config.js';
import type { Sql } from '../../db/sql.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { PeriodicJob } from '../../jobs/periodic-job.js';
import { DeliveryStatus, type AlertChannel } from './alert-delivery.entity.js';
import { EMAIL_NOT_CONFIGURED, sendToChannel } from './channel.sender.js';
import type { EmailSender } from './email.sender.js';
import type { NotificationChannelService } from './notification-channel.service.js';
import type { SendOutcome } from './webhook.sender.js';

/** A claimed delivery: its attempt number is the one being made. */
interface ClaimedDelivery {
  id: string;
  channel: AlertChannel;
  target: string;
  payload: string;
  attempts: number;
  secret: string | null;
  channel_id: string | null;
  channel_name: string | null;
  /** false when the named channel was disabled after the notification was queued. */
  channel_enabled: boolean;
}

export interface DeliveryOutcome {
  id: string;
  channel: AlertChannel;
  attempt: number;
  status: DeliveryStatus;
  error: string | null;
}

// Due deliveries are looked for this often even when nothing woke the dispatcher: retries queued by
// another replica, and leases of a replica that died.
const POLL_MS = 5_000;
const MAX_IN_FLIGHT = 32;
// A lease outlives the longest attempt, so a live sender never loses its row to another.
const LEASE_MARGIN_MS = 30_000;

/** The wait after a failed attempt (1-based): base, 2 base, 4 base, ... at most max, plus up to 10 % jitter. */
export function backoffMs(
  attempt: number,
  options: Pick<NotificationConfig, 'backoffBaseMs' | 'backoffMaxMs'>,
  random = Math.random,
): number {
  const delay = Math.min(options.backoffBaseMs * 2 ** Math.min(attempt - 1, 30), options.backoffMaxMs);
  return Math.round(delay * (1 + random() * 0.1));
}

/**
 * Sends the outbox. Every replica runs one: due rows are claimed with SKIP LOCKED and a lease (so two
 * replicas never send the same attempt, and a crashed sender's rows are taken again once its lease
 * expires), each claimed row is sent on its own (a hanging receiver holds up nothing else), and each
 * attempt's outcome is written back: SENT, PENDING again after a backoff, or FAILED after the last
 * attempt. A notification may thus arrive more than once (after a crash); X-Lumen-Delivery lets a
 * receiver drop repeats.
 */
export class DeliveryDispatcher {
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<(outcome: DeliveryOutcome) => void>();
  private pumping: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly sql: Sql,
    private readonly options: NotificationConfig,
    private readonly email: EmailSender | null,
    private readonly channels: Pick<NotificationChannelService, 'disableGone'>,
    private readonly log: Logger,
  ) {}

  job(): PeriodicJob {
    return new PeriodicJob('alert-deliveries', POLL_MS, () => this.pump(), this.log);
  }

  /** Looks for due deliveries now rather than at the next poll (called when notifications were queued). */
  wake(): void {
    if (!this.closed) void this.pump();
  }

  /** Claims the due deliveries now and starts sending them; resolves once they are claimed (not sent). */
  dispatchNow(): Promise<void> {
    return this.pump();
  }

  /** Reports the outcome of every attempt made by this replica. */
  onOutcome(listener: (outcome: DeliveryOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Interrupts attempts under way (recorded as failed attempts, due again at once) and stops sending. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    await this.pumping;
    const attempts = [...this.inFlight.values()];
    for (const { controller } of attempts) controller.abort();
    await Promise.all(attempts.map(({ done }) => done));
    this.email?.close();
  }

  private pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    const run = (async () => {
      do {
        this.again = false;
        await this.claimAndSend();
      } while (this.again && !this.closed);
    })();
    this.pumping = run.finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async claimAndSend(): Promise<void> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (this.closed || room <= 0) return;
    let claimed: ClaimedDelivery[];
    try {
      claimed = await this.sql.query<ClaimedDelivery>(
        `with due as (
           select id from alert_delivery
            where status = 'PENDING' and next_attempt_at <= now() and (locked_until is null or locked_until <= now())
            order by next_attempt_at limit $1 for update skip locked)
         update alert_delivery d set attempts = d.attempts + 1, last_attempt_at = now(), locked_until = now() + make_interval(secs => $2)
           from due, alert_record a, alert_rule r
          where d.id = due.id and a.id = d.record_id and r.id = a.rule_id
          returning d.id, d.channel, d.channel_id, d.channel_name, d.payload, d.attempts,
            -- A named channel's current URL and secret, so a corrected URL or rotated secret applies to retries.
            coalesce((select c.url from notification_channel c where c.id = d.channel_id and d.channel <> 'EMAIL'), d.target) as target,
            case when d.channel_id is null then r.webhook_secret else (select c.secret from notification_channel c where c.id = d.channel_id) end as secret,
            coalesce((select c.enabled from notification_channel c where c.id = d.channel_id), true) as channel_enabled`,
        [room, (this.options.webhookTimeoutMs + LEASE_MARGIN_MS) / 1000],
      );
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.log.warn({ err: error }, 'database unavailable: deliveries resume when it is back');
      else this.log.error({ err: error }, 'could not claim alert deliveries');
      return;
    }
    for (const delivery of claimed) this.start(delivery);
    if (claimed.length === room) this.again = true;
  }

  private start(delivery: ClaimedDelivery): void {
    const controller = new AbortController();
    const done = this.attempt(delivery, controller.signal)
      .catch((error: unknown) => this.log.error({ err: error, deliveryId: delivery.id }, 'alert delivery attempt could not be recorded'))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        if (!this.closed && this.inFlight.size === MAX_IN_FLIGHT - 1) this.wake();
      });
    this.inFlight.set(delivery.id, { controller, done });
  }

  private async attempt(delivery: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const outcome = await this.send(delivery, signal);
    if (outcome.gone && delivery.channel_id) {
      const reason = await this.channels.disableGone(delivery.channel_id, outcome.error ?? 'HTTP 410 Gone');
      outcome.error = `${outcome.error ?? 'HTTP 410 Gone'} (the receiver is gone: ${reason})`;
    }
    let status: DeliveryStatus;
    if (outcome.ok) status = DeliveryStatus.SENT;
    else if (outcome.error === EMAIL_NOT_CONFIGURED || !delivery.channel_enabled) status = DeliveryStatus.SKIPPED;
    else if (!outcome.retry || delivery.attempts >= this.options.maxAttempts) status = DeliveryStatus.FAILED;
    else status = DeliveryStatus.PENDING;
    const delay = status === DeliveryStatus.PENDING && !signal.aborted ? backoffMs(delivery.attempts, this.options) : 0;
    // Written only if the row is still ours: a late answer after the lease passed to another sender is dropped.
    await this.sql.query(
      `update alert_delivery set status = $3, last_error = $4, last_status_code = $5, locked_until = null,
              sent_at = case when $3 = 'SENT' then now() else sent_at end,
              next_attempt_at = case when $3 = 'PENDING' then now() + make_interval(secs => $6) else next_attempt_at end
        where id = $1 and attempts = $2`,
      [delivery.id, delivery.attempts, status, outcome.error, outcome.statusCode, delay / 1000],
    );
    const level = status === DeliveryStatus.SENT ? 'info' : 'warn';
    this.log[level](
      {
        deliveryId: delivery.id,
        channel: delivery.channel,
        attempt: delivery.attempts,
        status,
        error: outcome.error,
        statusCode: outcome.statusCode,
      },
      'alert delivery attempt',
    );
    if (status === DeliveryStatus.PENDING && !this.closed) {
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.wake();
      }, delay + 50);
      timer.unref();
      this.retryTimers.add(timer);
    }
    for (const listener of this.listeners)
      listener({ id: delivery.id, channel: delivery.channel, attempt: delivery.attempts, status, error: outcome.error });
  }

  private async send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome> {
    if (!delivery.channel_enabled)
      return {
        ok: false,
        statusCode: null,
        error: `channel "${delivery.channel_name ?? ''}" was disabled before this was sent`,
        retry: false,
      };
    return sendToChannel(
      { channel: delivery.channel, target: delivery.target, payload: delivery.payload, secret: delivery.secret, deliveryId: delivery.id },
      { timeoutMs: this.options.webhookTimeoutMs, allowPrivate: this.options.allowPrivateWebhooks, signal },
      this.email,
    );
  }
}
