import type { z } from 'zod';
import { Millis } from '../model/primitives.ts';
import { schemas } from '../model/index.ts';

/**
 * Where a schema keeps points in time: the paths of every `Millis` in it,
 * dotted, with `[]` for an array's items and `*` for a record's values
 * (`lastMessage.at`, `reactions[].at`). Derived from the schemas, so a time
 * field added to the model is stored as a Firestore timestamp without
 * anyone listing it (core/src/store/timeFields.ts holds the result for the
 * bundles that carry no zod; core/test/timeCodec.test.ts keeps it equal).
 */
export const timePathsOf = (schema: z.ZodType): string[] => {
  const out: string[] = [];
  const walk = (s: z.ZodType, path: string, seen: Set<z.ZodType>) => {
    if (s === Millis) {
      out.push(path);
      return;
    }
    if (seen.has(s)) return;
    seen = new Set(seen).add(s);
    const def = (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    const at = (key: string) => (path === '' ? key : `${path}.${key}`);
    switch (def.type) {
      case 'object':
        for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) walk(field, at(key), seen);
        return;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
        walk(def.innerType as z.ZodType, path, seen);
        return;
      case 'pipe':
        walk(def.in as z.ZodType, path, seen);
        return;
      case 'array':
        walk(def.element as z.ZodType, `${path}[]`, seen);
        return;
      case 'record':
        walk(def.valueType as z.ZodType, at('*'), seen);
        return;
      case 'tuple':
        for (const item of def.items as z.ZodType[]) walk(item, `${path}[]`, seen);
        return;
      case 'union':
        for (const option of def.options as z.ZodType[]) walk(option, path, seen);
        return;
      default:
        return;
    }
  };
  walk(schema, '', new Set());
  return [...new Set(out)].sort();
};

/** Every collection's time paths (collections without any left out). */
export const deriveTimeFields = (): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(schemas)
      .map(([name, schema]) => [name, timePathsOf(schema as z.ZodType)] as const)
      .filter(([, paths]) => paths.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
