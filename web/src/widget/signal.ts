import { customRef, type Ref } from '@vue/reactivity';

/**
 * A shallow ref: the value is replaced, never made deeply reactive. Not
 * `shallowRef` itself because its class also builds deep refs, which drags
 * `reactive()` and all its proxy handlers into the widget (≈3 KB gzip of its 30).
 */
export const signal = <T>(value: T): Ref<T> =>
  customRef<T>((track, trigger) => ({
    get: () => {
      track();
      return value;
    },
    set: (next) => {
      if (Object.is(next, value)) return;
      value = next;
      trigger();
    },
  }));
