import type { AlertRecordFilter, AlertSeverity, AlertStatus } from '../../graphql/generated/operations';

/** The inbox's views: open (firing or acknowledged, the default), one status, or every alert. */
export const INBOX_VIEWS = ['open', 'firing', 'acknowledged', 'resolved', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const SEVERITIES: readonly AlertSeverity[] = ['CRITICAL', 'WARNING', 'INFO'];
export const INBOX_FILTER_KEYS = ['view', 'severity', 'ruleId'] as const;

const STATUSES: Record<InboxView, AlertStatus[] | null> = {
  open: ['FIRING', 'ACKNOWLEDGED'],
  firing: ['FIRING'],
  acknowledged: ['ACKNOWLEDGED'],
  resolved: ['RESOLVED'],
  all: null,
};

export function inboxView(value: string | undefined): InboxView {
  return (INBOX_VIEWS as readonly string[]).includes(value ?? '') ? (value as InboxView) : 'open';
}

/** The API filter of the inbox's URL state; an unknown severity is ignored rather than sent. */
export function toRecordFilter(values: Partial<Record<(typeof INBOX_FILTER_KEYS)[number], string>>): AlertRecordFilter {
  const filter: AlertRecordFilter = {};
  const statuses = STATUSES[inboxView(values.view)];
  if (statuses) filter.status = statuses;
  if (SEVERITIES.includes(values.severity as AlertSeverity)) filter.severity = values.severity as AlertSeverity;
  if (values.ruleId) filter.ruleId = values.ruleId;
  return filter;
}

/** Whether a record with this status belongs in the view (a pushed change may take it out). */
export function viewShows(view: InboxView, status: AlertStatus): boolean {
  const statuses = STATUSES[view];
  return statuses === null || statuses.includes(status);
}
