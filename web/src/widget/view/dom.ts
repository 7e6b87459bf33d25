import { effect, effectScope, onScopeDispose, watch, type EffectScope } from '@vue/reactivity';

/**
 * The widget's whole renderer: elements made by hand, a few effects for the
 * parts that change. Text only ever goes in as text nodes (never innerHTML),
 * so nothing a customer or agent writes can become markup.
 */
export type Child = Node | string | null | undefined | false;
/** A value, or a getter kept in sync by an effect. */
export type Reactive<T> = T | (() => T);
type AttrValue = string | number | boolean | null | undefined;
export type Props = Record<string, Reactive<AttrValue> | ((event: never) => void)>;

const setAttr = (el: Element, name: string, value: AttrValue) => {
  // Properties, not attributes: the attribute is only the initial value of a form field.
  if (name === 'value') {
    const field = el as HTMLInputElement;
    if (field.value !== String(value ?? '')) field.value = String(value ?? '');
  } else if (value === false || value === null || value === undefined) el.removeAttribute(name);
  else el.setAttribute(name, value === true ? '' : String(value));
};

const apply = (el: Element, props: Props | null | undefined) => {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value as EventListener);
    else if (typeof value === 'function') effect(() => setAttr(el, name, (value as () => AttrValue)()));
    else setAttr(el, name, value as AttrValue);
  }
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props);
  // Element.append turns strings into text nodes.
  el.append(...(children.filter(Boolean) as (Node | string)[]));
  return el;
}

/** Text that follows a getter. */
export const text = (get: () => string): Text => {
  const node = document.createTextNode('');
  effect(() => (node.data = get()));
  return node;
};

/** A stroked 24×24 icon (lucide's paths), decorative. */
export const icon = (cls: string, ...paths: string[]): SVGSVGElement => {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const attrs = { class: cls, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true' };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, v);
  for (const d of paths) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
};

export const chatIcon = (cls: string) => icon(cls, 'M7.9 20A9 9 0 1 0 4 16.1L2 22Z');
export const closeIcon = (cls: string) => icon(cls, 'M18 6 6 18', 'm6 6 12 12');

/**
 * The part of the page that depends on `key`: rebuilt (in its own effect
 * scope, stopped with it) only when the key changes, like v-if/v-else.
 */
export const when = <K>(key: () => K, build: (key: K) => Child): Node => {
  // Everything between the two markers is this part's, whatever its nested parts have since put there.
  const head = document.createComment('');
  const tail = document.createComment('');
  const start = document.createDocumentFragment();
  start.append(head);
  let scope: EffectScope | undefined;
  watch(
    key,
    (k) => {
      scope?.stop();
      while (head.nextSibling && head.nextSibling !== tail) head.nextSibling.remove();
      // Detached: the watch may fire outside any scope; ours is stopped with the parent below.
      scope = effectScope(true);
      const built = scope.run(() => build(k));
      if (built) head.after(built);
    },
    { immediate: true },
  );
  onScopeDispose(() => scope?.stop());
  start.append(tail);
  return start;
};

/** Mounts a view in its own scope; `unmount` stops its effects and removes it. */
export const mount = (root: Element, view: () => Node): { unmount: () => void } => {
  const scope = effectScope();
  const node = scope.run(view)!;
  root.append(node);
  return {
    unmount: () => {
      scope.stop();
      root.replaceChildren();
    },
  };
};
