import type { Problem } from '../../composables/useEditorForm';
import type { AlertChannel, NotificationChannelInput } from '../../graphql/generated/operations';
import { emailList } from './ruleForm';
import type { NotificationChannel } from './useNotificationChannels';

export const CHANNEL_KINDS: readonly AlertChannel[] = ['SLACK', 'FEISHU', 'DINGTALK', 'WECOM', 'PAGERDUTY', 'WEBHOOK', 'EMAIL'];

/** A notification channel as the editor holds it. The secret is write-only: empty keeps the stored one. */
export interface ChannelForm {
  name: string;
  kind: AlertChannel;
  url: string;
  secret: string;
  emails: string;
  enabled: boolean;
}

export const CHANNEL_FIELDS = ['name', 'url', 'secret', 'emails'] as const;
export type ChannelField = (typeof CHANNEL_FIELDS)[number];

/** Which fields a kind shows: every kind but EMAIL has a URL; these take a secret. */
export function kindTakes(kind: AlertChannel): { url: boolean; secret: 'required' | 'optional' | null; emails: boolean } {
  switch (kind) {
    case 'EMAIL':
      return { url: false, secret: null, emails: true };
    case 'PAGERDUTY':
      return { url: true, secret: 'required', emails: false };
    case 'WEBHOOK':
    case 'FEISHU':
    case 'DINGTALK':
      return { url: true, secret: 'optional', emails: false };
    default:
      return { url: true, secret: null, emails: false };
  }
}

export function emptyChannelForm(): ChannelForm {
  return { name: '', kind: 'SLACK', url: '', secret: '', emails: '', enabled: true };
}

export function formFromChannel(channel: NotificationChannel): ChannelForm {
  return {
    name: channel.name,
    kind: channel.kind,
    url: channel.url ?? '',
    secret: '',
    emails: channel.emails.join(', '),
    enabled: channel.enabled,
  };
}

/** What the server would refuse, found before sending (the SSRF guard is the server's). */
export function validateChannelForm(form: ChannelForm, editing: boolean): Partial<Record<ChannelField, Problem>> {
  const problems: Partial<Record<ChannelField, Problem>> = {};
  const name = form.name.trim();
  if (name === '') problems.name = { key: 'required' };
  else if (name.length > 100) problems.name = { key: 'tooLong', params: { max: 100 } };
  const takes = kindTakes(form.kind);
  if (takes.url && form.kind !== 'PAGERDUTY') {
    const url = form.url.trim();
    if (url === '') problems.url = { key: 'required' };
    else {
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.url = { key: 'url' };
      } catch {
        problems.url = { key: 'url' };
      }
    }
  }
  if (takes.secret === 'required' && !editing && form.secret.trim() === '') problems.secret = { key: 'required' };
  if (form.kind === 'WEBHOOK' && form.secret.trim() && !/^whsec_[A-Za-z0-9+/]{22,88}={0,2}$/.test(form.secret.trim()))
    problems.secret = { key: 'webhookSecret' };
  if (takes.emails) {
    const list = emailList(form.emails);
    if (list.length === 0) problems.emails = { key: 'required' };
    else if (list.length > 50) problems.emails = { key: 'tooManyEmails', params: { max: 50 } };
  }
  return problems;
}

/** The API input: fields the kind does not take are left out; an empty secret keeps the stored one. */
export function toChannelInput(form: ChannelForm): NotificationChannelInput {
  const takes = kindTakes(form.kind);
  return {
    name: form.name.trim(),
    kind: form.kind,
    url: takes.url ? form.url.trim() || null : null,
    secret: takes.secret && form.secret.trim() ? form.secret.trim() : null,
    emails: takes.emails ? emailList(form.emails) : null,
    enabled: form.enabled,
  };
}
