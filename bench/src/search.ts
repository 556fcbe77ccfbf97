import { percentiles, type Percentiles } from './dashboard.js';
import { gql, type BenchServer } from './server.js';

/**
 * The first page of a search in prompts and responses (`logs(filter: { search })`, 50 rows, newest
 * first): a common word, a two-word phrase and a rare three-word phrase of the bench's vocabulary, so
 * both ways the planner may take (walk the time index, or the trigram index then sort) are timed.
 */
export const SEARCH_TERMS = ['refund', 'refund invoice', 'warehouse translate classify'];

const SEARCH = `query($search: String!) { logs(filter: { search: $search }, first: 50) { nodes { id timestamp model match(search: $search) } } }`;

export interface SearchResult {
  logs: number;
  terms: Record<string, Percentiles>;
  worst: Percentiles;
}

export async function measureSearch(server: BenchServer, logs: number, iterations: number): Promise<SearchResult> {
  const times: Record<string, number[]> = Object.fromEntries(SEARCH_TERMS.map((term) => [term, []]));
  for (let i = -2; i < iterations; i++) {
    for (const term of SEARCH_TERMS) {
      const started = performance.now();
      await gql(server.url, server.adminKey, SEARCH, { search: term });
      if (i >= 0) times[term]!.push(performance.now() - started);
    }
  }
  const terms = Object.fromEntries(Object.entries(times).map(([term, values]) => [term, percentiles(values)]));
  const worst = Object.values(terms).reduce((a, b) => (b.p95 > a.p95 ? b : a));
  return { logs, terms, worst };
}
