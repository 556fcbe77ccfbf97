import type { AlertMetric } from '../../graphql/generated/operations';

interface AlertWindow {
  metric: AlertMetric;
  windowMinutes: number;
  firedAt: string;
  rule: { appId?: string | null; model?: string | null };
}

/** The Logs page's address query for the calls an alert judged: its rule's scope over the window that ended when it fired. */
export function alertCallsQuery(alert: AlertWindow): Record<string, string> {
  const to = new Date(alert.firedAt);
  const from = new Date(to.getTime() - alert.windowMinutes * 60_000);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    ...(alert.rule.appId ? { appId: alert.rule.appId } : {}),
    ...(alert.rule.model ? { model: alert.rule.model } : {}),
    ...(alert.metric === 'ERROR_RATE' ? { status: 'ERROR' } : {}),
  };
}
