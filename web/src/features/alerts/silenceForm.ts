import type { AlertSilenceInput } from '../../graphql/generated/operations';

/** What a silence matches: one rule, an app, a model, or every rule. */
export type SilenceMatcher = 'rule' | 'app' | 'model' | 'all';

export interface SilenceForm {
  matcher: SilenceMatcher;
  ruleId: string;
  appId: string;
  model: string;
  /** 'now': for durationMinutes from now; 'window': from startsAt to endsAt (datetime-local values). */
  when: 'now' | 'window';
  durationMinutes: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}

export function emptySilenceForm(): SilenceForm {
  return { matcher: 'rule', ruleId: '', appId: '', model: '', when: 'now', durationMinutes: '60', startsAt: '', endsAt: '', reason: '' };
}

export type SilenceField = 'ruleId' | 'appId' | 'model' | 'durationMinutes' | 'startsAt' | 'endsAt' | 'reason';

/** Problems as i18n keys of alerts.validation, before sending. */
export function validateSilenceForm(form: SilenceForm): Partial<Record<SilenceField, string>> {
  const problems: Partial<Record<SilenceField, string>> = {};
  if (form.matcher === 'rule' && !form.ruleId) problems.ruleId = 'required';
  if (form.matcher === 'app' && !form.appId.trim()) problems.appId = 'required';
  if (form.matcher === 'model' && !form.model.trim()) problems.model = 'required';
  if (
    form.when === 'now' &&
    !(/^\d+$/.test(form.durationMinutes.trim()) && Number(form.durationMinutes) >= 1 && Number(form.durationMinutes) <= 44640)
  )
    problems.durationMinutes = 'duration';
  if (form.when === 'window') {
    if (!form.startsAt) problems.startsAt = 'required';
    if (!form.endsAt) problems.endsAt = 'required';
    else if (form.startsAt && new Date(form.endsAt) <= new Date(form.startsAt)) problems.endsAt = 'endAfterStart';
  }
  const reason = form.reason.trim();
  if (!reason) problems.reason = 'required';
  else if (reason.length > 500) problems.reason = 'reasonTooLong';
  return problems;
}

/** The API input: only the chosen matcher; the window as ISO instants (datetime-local is the viewer's time). */
export function toSilenceInput(form: SilenceForm): AlertSilenceInput {
  return {
    ruleId: form.matcher === 'rule' ? form.ruleId : null,
    appId: form.matcher === 'app' ? form.appId.trim() : null,
    model: form.matcher === 'model' ? form.model.trim() : null,
    ...(form.when === 'now'
      ? { durationMinutes: Number(form.durationMinutes) }
      : { startsAt: new Date(form.startsAt).toISOString(), endsAt: new Date(form.endsAt).toISOString() }),
    reason: form.reason.trim(),
  };
}
