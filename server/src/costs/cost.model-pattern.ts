import { RE2JS } from 're2js';

/**
 * A cost table pattern over model names. Patterns are matched with RE2 (re2js, a JavaScript port):
 * time linear in the model name whatever the pattern, so a pattern such as `(a+)+$` cannot freeze the
 * server when a log names a model like `aaaa…!`. RE2 has no lookaround and no backreferences; such a
 * pattern is refused when it is saved.
 */
export interface ModelPattern {
  /** Whether the whole model name matches, ignoring case. */
  matches(model: string): boolean;
}

export class ModelPatternError extends Error {}

export function compileModelPattern(pattern: string): ModelPattern {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new ModelPatternError(
      `is not a regular expression Lumen can match (RE2 syntax, without lookaround or backreferences): ${(error as Error).message.slice(0, 200)}`,
    );
  }
  return { matches: (model) => compiled.matches(model) };
}
