import { useMutation } from '@urql/vue';

import { fieldErrors, type FieldErrors } from '../../graphql/fieldErrors';
import {
  CreateCostConfigDocument,
  DeleteCostConfigDocument,
  UpdateCostConfigDocument,
  type CostConfigInput,
} from '../../graphql/generated/operations';
import { COST_FIELDS } from './costForm';
import type { CostConfig } from './useCostTable';

export type SaveOutcome = { saved: CostConfig } | { errors: FieldErrors };

/** Creating, replacing and deleting prices (ADMIN); refused input comes back by field. */
export function useCostChanges() {
  const create = useMutation(CreateCostConfigDocument);
  const update = useMutation(UpdateCostConfigDocument);
  const remove = useMutation(DeleteCostConfigDocument);

  /** Creates a price (id null) or replaces one. */
  async function save(id: string | null, input: CostConfigInput): Promise<SaveOutcome> {
    if (id) {
      const result = await update.executeMutation({ id, input });
      return result.data ? { saved: result.data.updateCostConfig } : { errors: fieldErrors(result.error, COST_FIELDS) };
    }
    const result = await create.executeMutation({ input });
    return result.data ? { saved: result.data.createCostConfig } : { errors: fieldErrors(result.error, COST_FIELDS) };
  }

  /** Deletes a price; answers null, or the message saying why it was not deleted. */
  async function deleteConfig(id: string): Promise<string | null> {
    const result = await remove.executeMutation({ id });
    return result.data?.deleteCostConfig ? null : fieldErrors(result.error).general;
  }

  return { save, deleteConfig };
}
