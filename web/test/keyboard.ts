/**
 * Keyboard checks of a page in Chromium, shared by the consoles' tests: every control reached by
 * Tab in the page's order with a visible focus, nothing clickable out of the Tab order.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * An init script (`context.addInitScript`): remembers the elements the page's scripts listen to
 * for clicks, so that `everyControlByTab` can find those that take no focus.
 */
export function recordClickListeners(): void {
  const clicked = new WeakSet<Element>();
  (window as unknown as { clicked: WeakSet<Element> }).clicked = clicked;
  const listen = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    ...rest: [EventListenerOrEventListenerObject | null, (boolean | AddEventListenerOptions)?]
  ) {
    if (this instanceof Element && /^(click|dblclick|mouse(down|up)|pointer(down|up))$/.test(type))
      clicked.add(this);
    return listen.call(this, type, ...rest);
  };
}

/** Puts the start of the Tab order at the top of the page, whatever had the focus before. */
export const fromTheTop = (page: Page) =>
  page.evaluate(() => {
    const start = document.createElement('span');
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    start.remove();
    window.scrollTo(0, 0);
  });

/**
 * Tabs from the top of the page to its end: every shown, enabled control receives the focus,
 * first reached in the order of the page, each with a focus that shows (an outline or the
 * site's ring); no element with a click handler is left out of the Tab order.
 */
export async function everyControlByTab(page: Page, name: string): Promise<void> {
  const controls = await page.evaluate(() => {
    const focusable =
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const shown = [...document.querySelectorAll<HTMLElement>(focusable)].filter(
      (e) =>
        e.checkVisibility({ visibilityProperty: true }) &&
        !(e as HTMLButtonElement).disabled &&
        !e.closest('[inert]'),
    );
    document.querySelectorAll('[data-ordre]').forEach((e) => e.removeAttribute('data-ordre'));
    shown.forEach((e, i) => e.setAttribute('data-ordre', String(i)));
    const listened = (window as unknown as { clicked: WeakSet<Element> }).clicked;
    const clickable = [...document.querySelectorAll<HTMLElement>('body *')].filter(
      (e) => listened.has(e) && !e.matches(focusable),
    );
    return {
      count: shown.length,
      unreachable: clickable.map((e) => `${e.tagName} ${e.textContent?.slice(0, 40)}`),
    };
  });
  expect(controls.unreachable, `${name}: clickable but out of the Tab order`).toEqual([]);
  await fromTheTop(page);
  const order: number[] = [];
  const unseen: string[] = [];
  // Date and time fields take one Tab per part (day, month, year; hours, minutes).
  for (let i = 0; i < controls.count * 4 + 4 && new Set(order).size < controls.count; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const style = getComputedStyle(e);
      const ring =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
        style.boxShadow !== 'none';
      return {
        mark: e.getAttribute('data-ordre'),
        ring,
        what: `${e.tagName} ${e.getAttribute('type') ?? ''} ${e.id} ${(e.textContent ?? '').slice(0, 40)}`,
      };
    });
    if (!focused) continue;
    if (!focused.ring) unseen.push(focused.what);
    if (focused.mark === null) continue;
    const mark = Number(focused.mark);
    if (order.at(-1) !== mark) order.push(mark);
  }
  const missing = await page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-ordre]')]
        .filter((e) => !seen.includes(Number(e.getAttribute('data-ordre'))))
        .map(
          (e) =>
            `${e.tagName} ${e.getAttribute('type') ?? ''} ${e.id} ${e.textContent?.slice(0, 40)}`,
        ),
    order,
  );
  expect(missing, `${name}: controls not reached by Tab`).toEqual([]);
  expect([...new Set(unseen)], `${name}: focus not visible`).toEqual([]);
  const firstReached = order.filter((mark, i) => order.indexOf(mark) === i);
  expect(firstReached, `${name}: Tab order differs from the page's`).toEqual(
    [...firstReached].sort((a, b) => a - b),
  );
}

/** Presses Tab until the focus is on the element the selector names (in the page's order). */
export async function tabToControl(page: Page, selector: string): Promise<void> {
  await fromTheTop(page);
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
