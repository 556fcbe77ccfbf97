export type * from './schema-types.js';

/** The fields K of T, each present and not null: the shape of a sender that always fills them. */
export type Filled<T, K extends keyof T> = { [P in K]-?: NonNullable<T[P]> };
