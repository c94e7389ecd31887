/** Small form helpers of the consoles: labelled inputs, a period picker, mutation outcomes. */
import { field, h } from '../../app/dom.js';
import { graphqlErrorMessage, networkUserErrorMessage } from '../../error-messages.js';
import type { Answer } from '../../graphql/client.js';

export function input(
  label: string,
  name: string,
  attributes: Record<string, string | number | boolean> = {},
): HTMLElement {
  return field(label, h('input', { name, ...attributes }));
}

export function select(label: string, name: string, entries: [string, string][]): HTMLElement {
  return field(
    label,
    h(
      'select',
      { name },
      entries.map(([value, text]) => h('option', { value }, text)),
    ),
  );
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries(
    [...new FormData(form).entries()].map(([k, v]) => [k, String(v).trim()]),
  );
}

/** `YYYY-MM-DD` of a date in Paris. */
export function parisDay(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(date);
}

/** The period of the URL (`?du=…&au=…`), else the last `days` days up to today. */
export function periodOf(url: URL, days: number): { from: string; to: string } {
  const valid = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const today = new Date();
  return {
    from:
      valid(url.searchParams.get('du')) ??
      parisDay(new Date(today.getTime() - (days - 1) * 86_400_000)),
    to: valid(url.searchParams.get('au')) ?? parisDay(today),
  };
}

/** A GET form choosing the period: the page is reloaded with `?du=…&au=…`. */
export function periodForm(action: string, period: { from: string; to: string }): HTMLFormElement {
  return h(
    'form',
    { class: 'ligne', method: 'get', action, 'aria-label': 'Période' },
    input('Du', 'du', { type: 'date', value: period.from, required: true }),
    input('Au', 'au', { type: 'date', value: period.to, required: true }),
    h('button', { type: 'submit' }, 'Afficher'),
  );
}

/**
 * The French sentence of what went wrong with an answer (its first GraphQL error, by code), or
 * null when nothing did. The API's own message is never shown.
 */
export function problemOf(answer: Answer<unknown>): string | null {
  const first = answer.errors[0];
  return first ? graphqlErrorMessage(first) : null;
}

/**
 * The French sentence of a failed mutation: its `UserError` by code (the network's catalogue
 * unless `sentence` names another, such as a partner's `userErrorMessage`), else its GraphQL
 * error; null when it succeeded.
 */
export function failure(
  answer: Answer<unknown>,
  error?: { code: string } | null,
  sentence: (code: string) => string = networkUserErrorMessage,
): string | null {
  return error ? sentence(error.code) : problemOf(answer);
}
