import { useClientHandle, useMutation } from '@urql/vue';

import { useCursorPages } from '../../composables/useCursorPages';
import { fieldErrors } from '../../graphql/fieldErrors';
import {
  AcknowledgeAlertDocument,
  AlertRecordsDocument,
  ResolveAlertDocument,
  type AlertEventFieldsFragment,
  type AlertRecordFieldsFragment,
  type AlertRecordFilter,
} from '../../graphql/generated/operations';

export type AlertRecordRow = AlertRecordFieldsFragment;
export type ActionOutcome = { record: AlertRecordRow } | { error: string };

const PAGE_SIZE = 30;

/** Alert records matching the inbox's filter, most recently fired first; changes pushed live update them in place. */
export function useAlertRecords(currentFilter: () => AlertRecordFilter) {
  const { client } = useClientHandle();
  const acknowledgeMutation = useMutation(AcknowledgeAlertDocument);
  const resolveMutation = useMutation(ResolveAlertDocument);
  const pages = useCursorPages<AlertRecordFilter, AlertRecordRow>(async (filter, after) => {
    const result = await client
      .query(AlertRecordsDocument, { filter, first: PAGE_SIZE, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!result.data) return { error: result.error?.message ?? 'unknown error' };
    const page = result.data.alertRecords;
    return { nodes: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  }, currentFilter);

  /** Takes a record's new state (from a mutation or a push); answers false when the record is not shown. */
  function replace(updated: AlertEventFieldsFragment): boolean {
    let found = false;
    pages.rows.value = pages.rows.value.map((row) => {
      if (row.id !== updated.id) return row;
      found = true;
      return { ...row, ...updated, rule: { ...row.rule, ...updated.rule } };
    });
    return found;
  }

  async function act(kind: 'acknowledge' | 'resolve', id: string): Promise<ActionOutcome> {
    const result =
      kind === 'acknowledge' ? await acknowledgeMutation.executeMutation({ id }) : await resolveMutation.executeMutation({ id });
    const record = result.data && ('acknowledgeAlert' in result.data ? result.data.acknowledgeAlert : result.data.resolveAlert);
    if (!record) return { error: fieldErrors(result.error).general ?? '' };
    replace(record);
    return { record };
  }

  return { ...pages, replace, act };
}
