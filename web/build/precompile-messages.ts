import { baseCompile } from '@intlify/message-compiler';
import type { Plugin } from 'vite';

type Tree = { [key: string]: string | Tree };

/**
 * Replaces the locale message modules with their messages compiled to vue-i18n's AST at build time, so
 * the bundle can use vue-i18n's runtime-only build (without its message compiler). `locales` maps a
 * module path ending (e.g. `/src/i18n/en.ts`) to the messages that module exports.
 */
export function precompileMessages(locales: Record<string, Tree>): Plugin {
  return {
    name: 'lumen:precompile-messages',
    apply: 'build',
    transform(_code, id) {
      const file = id.split('?')[0];
      const entry = Object.entries(locales).find(([ending]) => file.endsWith(ending));
      if (!entry) return null;
      return { code: `export default ${JSON.stringify(compileTree(entry[1], entry[0]))};`, map: null };
    },
  };
}

function compileTree(tree: Tree, source: string, prefix = ''): Record<string, unknown> {
  const compiled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value !== 'string') {
      compiled[key] = compileTree(value, source, path);
      continue;
    }
    const { ast } = baseCompile(value, {
      jit: true,
      location: false,
      // short keys, as vue-i18n's own bundler plugin writes them
      minify: true,
      onError(error) {
        throw new Error(`${source}: message ${path} does not compile: ${error.message}`);
      },
    });
    compiled[key] = ast;
  }
  return compiled;
}
