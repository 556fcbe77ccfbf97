/** The same shape as the English messages, with any strings: every locale must translate every key. */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
