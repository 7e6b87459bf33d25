/**
 * A fresh copy of `value` equal to `JSON.parse(JSON.stringify(value))`, made without the text, or undefined when
 * `value` holds anything JSON writes its own way (an undefined, function or symbol value, a number that is not finite
 * or is -0, an object that is not plain, has `toJSON` or symbol keys, an array that is not plain or has holes, a
 * bigint): the caller then parses the text. For a document the store holds both as the object a commit serialised and
 * as that text, a copy costs about half a parse of its kilobyte of JSON.
 */
export const jsonCopy = <T>(value: T): T | undefined => {
  const copy = copyValue(value);
  return copy === FALLBACK ? undefined : (copy as T);
};

const FALLBACK = Symbol('fallback');

const copyValue = (value: unknown): unknown => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : FALLBACK;
    case 'object':
      if (value === null) return null;
      return Array.isArray(value) ? copyArray(value) : copyObject(value as Record<string, unknown>);
    default:
      return FALLBACK;
  }
};

const copyArray = (value: readonly unknown[]): unknown => {
  if (Object.getPrototypeOf(value) !== Array.prototype) return FALLBACK;
  const out = value.slice();
  for (let i = 0; i < out.length; i++) {
    // A hole reads as undefined here (JSON writes null there): the text decides.
    const v = copyValue(out[i]);
    if (v === FALLBACK) return FALLBACK;
    out[i] = v;
  }
  return out;
};

const copyObject = (value: Record<string, unknown>): unknown => {
  if (Object.getPrototypeOf(value) !== Object.prototype || 'toJSON' in value || Object.getOwnPropertySymbols(value).length > 0) return FALLBACK;
  // A spread copies the fields in one go, and keeps an own "__proto__" key a key, as JSON.parse does.
  const out: Record<string, unknown> = { ...value };
  for (const key of Object.keys(out)) {
    const v = out[key];
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) continue;
    const copy = copyValue(v);
    if (copy === FALLBACK) return FALLBACK;
    if (copy === v) continue;
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
};
