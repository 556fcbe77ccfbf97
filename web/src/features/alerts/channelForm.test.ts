import { describe, expect, it } from 'vitest';

import { emptyChannelForm, toChannelInput, validateChannelForm, type ChannelForm } from './channelForm';

const form = (patch: Partial<ChannelForm>): ChannelForm => ({ ...emptyChannelForm(), name: 'Ops', ...patch });
const keys = (problems: ReturnType<typeof validateChannelForm>) =>
  Object.fromEntries(Object.entries(problems).map(([f, p]) => [f, p!.key]));

describe('channelForm', () => {
  it('asks each kind for what its provider needs', () => {
    expect(keys(validateChannelForm(form({ kind: 'SLACK', url: '' }), false))).toEqual({ url: 'required' });
    expect(keys(validateChannelForm(form({ kind: 'PAGERDUTY' }), false))).toEqual({ secret: 'required' });
    expect(keys(validateChannelForm(form({ kind: 'PAGERDUTY' }), true))).toEqual({});
    expect(keys(validateChannelForm(form({ kind: 'EMAIL' }), false))).toEqual({ emails: 'required' });
    expect(keys(validateChannelForm(form({ kind: 'WEBHOOK', url: 'https://h.example.com', secret: 'plain' }), false))).toEqual({
      secret: 'webhookSecret',
    });
  });

  it('sends only the fields of the kind, and no secret when none was typed (the stored one is kept)', () => {
    expect(
      toChannelInput(form({ kind: 'DINGTALK', url: ' https://oapi.dingtalk.com/robot/send?access_token=t ', emails: 'x@example.com' })),
    ).toEqual({
      name: 'Ops',
      kind: 'DINGTALK',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=t',
      secret: null,
      emails: null,
      enabled: true,
    });
    expect(toChannelInput(form({ kind: 'EMAIL', url: 'https://ignored', emails: 'a@example.com b@example.com' }))).toMatchObject({
      url: null,
      emails: ['a@example.com', 'b@example.com'],
    });
  });
});
