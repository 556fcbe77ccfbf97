import type { Client } from '@urql/core';
import { computed, shallowRef } from 'vue';

import {
  AlertEventsDocument,
  AlertFiredDocument,
  AlertRecordsDocument,
  type AlertEventFieldsFragment,
} from '../../graphql/generated/operations';

export type AlertEvent = AlertEventFieldsFragment;

export interface AlertToast {
  event: AlertEvent;
  /** When the toast appeared (ms), for its timer. */
  shownAt: number;
}

/** Toasts shown at once; an older one gives way to a newer one. */
export const MAX_TOASTS = 4;
/** How long a toast stays (ms); CRITICAL ones stay until closed. */
export const TOAST_MS = 15_000;
/** How many firing alerts the badge counts exactly ("99+" above). */
export const BADGE_MAX = 99;
const RECOUNT_MS = 60_000;

/** The firing alerts after one change: a FIRING record is in, any other status takes it out. */
export function applyToFiring(firing: ReadonlyMap<string, AlertEvent>, event: AlertEvent): Map<string, AlertEvent> {
  const next = new Map(firing);
  if (event.status === 'FIRING') next.set(event.id, event);
  else next.delete(event.id);
  return next;
}

/** The toasts after an alert fired: newest first, one per alert, at most MAX_TOASTS. A silenced alert pops up nothing. */
export function addToast(toasts: readonly AlertToast[], event: AlertEvent, now: number): AlertToast[] {
  if (event.silenced) return [...toasts];
  return [{ event, shownAt: now }, ...toasts.filter((toast) => toast.event.id !== event.id)].slice(0, MAX_TOASTS);
}

/** The toasts still due at `now`: an alert no longer FIRING and a non-critical toast past its time go. */
export function dueToasts(toasts: readonly AlertToast[], firing: ReadonlyMap<string, AlertEvent>, now: number): AlertToast[] {
  return toasts.filter((toast) => firing.has(toast.event.id) && (toast.event.severity === 'CRITICAL' || now - toast.shownAt < TOAST_MS));
}

export function badgeText(count: number, more: boolean): string {
  return count > BADGE_MAX || more ? `${BADGE_MAX}+` : String(count);
}

// One feed for the whole app: the navigation badge, the toasts and the inbox read it.
const firing = shallowRef<ReadonlyMap<string, AlertEvent>>(new Map());
const moreFiring = shallowRef(false);
const toasts = shallowRef<readonly AlertToast[]>([]);
const listeners = new Set<(event: AlertEvent) => void>();

function receive(event: AlertEvent): void {
  firing.value = applyToFiring(firing.value, event);
  toasts.value = dueToasts(toasts.value, firing.value, Date.now());
  for (const listener of listeners) listener(event);
}

/**
 * Follows alerts for the signed-in key: counts the FIRING ones (a query, then every change from
 * alertUpdated, recounted each minute in case the socket missed one) and raises a toast for each
 * alertFired. Answers the function that stops it.
 */
export function startAlertFeed(client: Client): () => void {
  async function count() {
    const result = await client
      .query(AlertRecordsDocument, { filter: { status: ['FIRING'] }, first: BADGE_MAX + 1 }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!result.data) return;
    firing.value = new Map(result.data.alertRecords.edges.map(({ node }) => [node.id, node]));
    moreFiring.value = result.data.alertRecords.pageInfo.hasNextPage;
    toasts.value = dueToasts(toasts.value, firing.value, Date.now());
  }
  void count();
  const timer = setInterval(() => void count(), RECOUNT_MS);
  const updates = client.subscription(AlertEventsDocument, {}).subscribe((result) => {
    if (result.data) receive(result.data.alertUpdated);
  });
  const fired = client.subscription(AlertFiredDocument, {}).subscribe((result) => {
    if (!result.data) return;
    const event = result.data.alertFired;
    firing.value = applyToFiring(firing.value, event);
    toasts.value = addToast(toasts.value, event, Date.now());
  });
  return () => {
    clearInterval(timer);
    updates.unsubscribe();
    fired.unsubscribe();
    firing.value = new Map();
    toasts.value = [];
  };
}

/** The app's view of the feed. `onChange` runs for every pushed change until the returned function is called. */
export function useAlertFeed() {
  return {
    /** The alerts FIRING now. */
    firing: computed(() => [...firing.value.values()]),
    badge: computed(() => (firing.value.size === 0 ? null : badgeText(firing.value.size, moreFiring.value))),
    toasts: computed(() => toasts.value),
    dismiss(id: string) {
      toasts.value = toasts.value.filter((toast) => toast.event.id !== id);
    },
    /** Drops toasts whose time is up. */
    expire(now = Date.now()) {
      const due = dueToasts(toasts.value, firing.value, now);
      if (due.length !== toasts.value.length) toasts.value = due;
    },
    onChange(listener: (event: AlertEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
