import { judgeHttpAnswer, type HttpAnswer, type SendOutcome } from './webhook.sender.js';

/**
 * How each provider says a message was refused, and whether another attempt can help. Read from each
 * provider's documentation:
 * - Slack incoming webhooks answer 200 "ok"; failures are 4xx with a short string (400 invalid_payload,
 *   403 invalid_token or action_prohibited, 404 channel_not_found or no_service, 410 channel_is_archived),
 *   429 when rate limited, 500 rollup_error. A 4xx other than 429 will not pass by retrying.
 * - Feishu / Lark custom bots answer HTTP 200 with `code`: 0 is success; 11232 is the rate limit; 9499
 *   (bad request), 19021 (signature or timestamp), 19022 (IP not allowed), 19024 (keyword missing) are final.
 * - DingTalk custom robots answer HTTP 200 with `errcode`: 0 is success; 130101 (sending too fast) and -1
 *   (busy) pass later; 310000 (signature, keyword or IP check) and token errors are final.
 * - WeCom group robots answer HTTP 200 with `errcode`: 0 is success; 45009 (frequency limit) and -1 (busy)
 *   pass later; 93000 (invalid webhook key), 40008 (bad message type) and the rest are final.
 * - PagerDuty Events API v2 answers 202 with `status: "success"`; 400 (invalid event) is final, 429 and 5xx
 *   are retried with backoff, as PagerDuty asks.
 */
export function judgeSlack(answer: HttpAnswer): SendOutcome {
  const plain = judgeHttpAnswer(answer);
  const status = answer.statusCode;
  if (status === null || plain.ok || plain.gone) return plain;
  return { ...plain, retry: status === 429 || status >= 500 };
}

export function judgeFeishu(answer: HttpAnswer): SendOutcome {
  return judgeJsonCode(answer, 'code', new Set([11232]));
}

export function judgeDingTalk(answer: HttpAnswer): SendOutcome {
  return judgeJsonCode(answer, 'errcode', new Set([130101, -1]));
}

export function judgeWeCom(answer: HttpAnswer): SendOutcome {
  return judgeJsonCode(answer, 'errcode', new Set([45009, -1]));
}

export function judgePagerDuty(answer: HttpAnswer): SendOutcome {
  const plain = judgeHttpAnswer(answer);
  const status = answer.statusCode;
  if (status === null || plain.ok || plain.gone) return plain;
  return { ...plain, retry: status === 429 || status >= 500 };
}

/**
 * A chat robot's answer: HTTP 200 whose JSON `field` is 0 is success; another value is a refusal named
 * by its code and message, retried only for the codes that say "later". Non-2xx statuses read as HTTP.
 */
function judgeJsonCode(answer: HttpAnswer, field: 'code' | 'errcode', retryable: ReadonlySet<number>): SendOutcome {
  const plain = judgeHttpAnswer(answer);
  if (!plain.ok) return plain;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return {
      ok: false,
      statusCode: answer.statusCode,
      error: `unexpected answer: ${answer.text.slice(0, 200)}`,
      retry: true,
      answer: answer.text,
    };
  }
  const code = Number(parsed[field] ?? parsed.StatusCode ?? 0);
  if (code === 0) return plain;
  const message = String(parsed.msg ?? parsed.errmsg ?? parsed.StatusMessage ?? '');
  return {
    ok: false,
    statusCode: answer.statusCode,
    error: `${field} ${code}${message ? `: ${message}` : ''}`,
    retry: retryable.has(code),
    answer: answer.text,
  };
}
