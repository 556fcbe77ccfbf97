import type { CostSource, LogDetailQuery } from '../../graphql/generated/operations';

export type LogDetail = NonNullable<LogDetailQuery['log']>;

/** Badge colour for how a call was priced: a price Lumen could not find is worth noticing. */
export function costSourceTone(source: CostSource): 'accent' | 'warning' | 'neutral' {
  if (source === 'UNPRICED') return 'warning';
  if (source === 'CONFIG') return 'accent';
  return 'neutral';
}

/** Metadata as indented JSON with keys in a stable order, for reading rather than parsing. */
export function formatMetadata(metadata: Record<string, unknown>): string {
  return JSON.stringify(metadata, null, 2);
}
