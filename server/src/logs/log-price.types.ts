import { registerEnumType } from 'type-graphql';

/** How a log's cost was found; see costs/cost.pricing.ts for the order. */
export enum CostSource {
  PROVIDED = 'PROVIDED',
  CONFIG = 'CONFIG',
  BUILTIN = 'BUILTIN',
  UNPRICED = 'UNPRICED',
}

registerEnumType(CostSource, {
  name: 'CostSource',
  description:
    'PROVIDED: sent by the client. CONFIG: priced from the cost table. BUILTIN: priced from bundled public price data. UNPRICED: no price known.',
});

/** A log's cost as stored, and where it came from: priced at ingest, re-priced by recomputeCosts. */
export interface LogPrice {
  cost: string | null;
  source: CostSource;
  configId: string | null;
  currency: string;
}
