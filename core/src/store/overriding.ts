/**
 * `target` with some of its members replaced by `overrides`; every other member is the target's own, its methods
 * bound to it — how a transaction or a store is wrapped for one purpose (a checked read, a reply sent after the
 * commit, the demo's past) while whatever else the port grows still reaches the real one.
 */
export const overriding = <T extends object>(target: T, overrides: Partial<T>): T =>
  new Proxy(target, {
    get(t, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(t, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
