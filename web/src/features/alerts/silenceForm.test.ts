import { describe, expect, it } from 'vitest';

import { emptySilenceForm, toSilenceInput, validateSilenceForm, type SilenceForm } from './silenceForm';

const form = (patch: Partial<SilenceForm>): SilenceForm => ({ ...emptySilenceForm(), reason: 'Deploy', ...patch });

describe('silenceForm', () => {
  it('needs the matcher it names, a window and a reason', () => {
    expect(validateSilenceForm(form({ matcher: 'rule', ruleId: '' }))).toEqual({ ruleId: 'required' });
    expect(validateSilenceForm(form({ matcher: 'all', durationMinutes: '0', reason: ' ' }))).toEqual({
      durationMinutes: 'duration',
      reason: 'required',
    });
    expect(validateSilenceForm(form({ matcher: 'all', when: 'window', startsAt: '2026-12-05T02:00', endsAt: '2026-12-05T01:00' }))).toEqual(
      {
        endsAt: 'endAfterStart',
      },
    );
  });

  it('sends only the chosen matcher, and a scheduled window as instants', () => {
    expect(toSilenceInput(form({ matcher: 'app', appId: ' chat ', ruleId: 'r1', durationMinutes: '30' }))).toEqual({
      ruleId: null,
      appId: 'chat',
      model: null,
      durationMinutes: 30,
      reason: 'Deploy',
    });
    const scheduled = toSilenceInput(form({ matcher: 'all', when: 'window', startsAt: '2026-12-05T01:00', endsAt: '2026-12-05T03:00' }));
    expect(Date.parse(scheduled.endsAt!) - Date.parse(scheduled.startsAt!)).toBe(7_200_000);
    expect(scheduled).toMatchObject({ ruleId: null, appId: null, model: null, reason: 'Deploy' });
  });
});
