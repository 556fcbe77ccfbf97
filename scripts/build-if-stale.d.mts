export function buildIfStale(options?: { quiet?: boolean }): void;
