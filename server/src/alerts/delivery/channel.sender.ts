import { createHmac } from 'node:crypto';

import { AlertChannel } from './alert-channel.js';
import { judgeDingTalk, judgeFeishu, judgePagerDuty, judgeSlack, judgeWeCom } from './provider.answers.js';
import { postJson, sendWebhook, type SendOutcome, type WebhookOptions } from './webhook.sender.js';

/** One notification to send: the channel's kind, where, the stored body, and the channel's secret. */
export interface ChannelCall {
  channel: AlertChannel;
  /** The URL (the address for EMAIL). */
  target: string;
  /** The stored body (JSON text); for EMAIL the subject and text. */
  payload: string;
  secret: string | null;
  /** The same on every attempt of one notification (X-Lumen-Delivery, webhook-id). */
  deliveryId: string;
}

export interface EmailTransport {
  send(to: string, message: { subject: string; text: string }): Promise<SendOutcome>;
}

export type ChannelOutcome = SendOutcome & { durationMs: number };

/** Feishu / Lark: base64 HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message; timestamp in seconds. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** DingTalk: base64 HMAC-SHA256 keyed with the secret over "timestamp\nsecret"; timestamp in milliseconds. URL-encode it in the query. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/**
 * Sends one notification the way its provider takes it, signs it as the provider documents, and reads
 * the provider's answer (provider.answers.ts). Never throws.
 */
export async function sendToChannel(call: ChannelCall, options: WebhookOptions, email: EmailTransport | null): Promise<ChannelOutcome> {
  const started = Date.now();
  const timed = (outcome: SendOutcome): ChannelOutcome => ({ ...outcome, durationMs: Date.now() - started });
  switch (call.channel) {
    case AlertChannel.WEBHOOK: {
      const event = (JSON.parse(call.payload) as { type?: string }).type ?? 'alert';
      return sendWebhook({ url: call.target, body: call.payload, secret: call.secret ?? '', event, deliveryId: call.deliveryId }, options);
    }
    case AlertChannel.SLACK:
      return timed(judgeSlack(await postJson({ url: call.target, body: call.payload }, options)));
    case AlertChannel.FEISHU: {
      let body = call.payload;
      if (call.secret) {
        const timestamp = Math.floor(Date.now() / 1000);
        body = JSON.stringify({ timestamp: String(timestamp), sign: feishuSign(call.secret, timestamp), ...JSON.parse(call.payload) });
      }
      return timed(judgeFeishu(await postJson({ url: call.target, body }, options)));
    }
    case AlertChannel.DINGTALK: {
      let url = call.target;
      if (call.secret) {
        const timestamp = Date.now();
        const signed = new URL(call.target);
        signed.searchParams.set('timestamp', String(timestamp));
        signed.searchParams.set('sign', dingTalkSign(call.secret, timestamp));
        url = signed.toString();
      }
      return timed(judgeDingTalk(await postJson({ url, body: call.payload }, options)));
    }
    case AlertChannel.WECOM:
      return timed(judgeWeCom(await postJson({ url: call.target, body: call.payload }, options)));
    case AlertChannel.PAGERDUTY: {
      const body = JSON.stringify({ routing_key: call.secret ?? '', ...JSON.parse(call.payload) });
      return timed(judgePagerDuty(await postJson({ url: call.target, body }, options)));
    }
    case AlertChannel.EMAIL:
      if (!email) return timed({ ok: false, statusCode: null, error: EMAIL_NOT_CONFIGURED, retry: false });
      return timed(await email.send(call.target, JSON.parse(call.payload) as { subject: string; text: string }));
  }
}

export const EMAIL_NOT_CONFIGURED = 'email is not configured: set SMTP_HOST and SMTP_FROM';
