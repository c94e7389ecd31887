/** A few lines of DOM building instead of a framework: elements, text, events. */
import { pageDocument } from './page-context.js';
import { french } from './typography.js';

export type Child = Node | string | number | null | undefined | false | Child[];
type AttributeValue = string | number | boolean | null | undefined | ((event: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, AttributeValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = pageDocument().createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, String(value));
    // The state a control's `checked` reads, which the attribute only starts in a browser, and
    // not at all in linkedom's, where the server renders pages and reads their forms back.
    if (name === 'checked') (element as unknown as HTMLInputElement).checked = value === true;
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child);
    else if (typeof child === 'object' && child !== null) parent.appendChild(child);
    else if (child !== null && child !== undefined && child !== false)
      parent.appendChild(pageDocument().createTextNode(french(String(child))));
  }
}

/** Replaces the children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A unique id for label/field and field/message associations. */
let counter = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++counter}`;
}

/** A labelled form control: the label, the control, and an optional hint tied to it. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement,
  hint?: string,
): HTMLElement {
  control.id ||= uid('champ');
  const hintId = hint ? `${control.id}-aide` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'champ' },
    h('label', { for: control.id }, label),
    hintId ? h('p', { id: hintId, class: 'aide' }, hint) : null,
    control,
  );
}

export function options(
  entries: [value: string, label: string][],
  selected?: string,
): HTMLOptionElement[] {
  return entries.map(([value, label]) =>
    h('option', { value, selected: value === selected }, label),
  );
}

/** Sets an element's text, in French typography like every text `h` makes. */
export function setText(element: Element, text: string): void {
  element.textContent = french(text);
}
