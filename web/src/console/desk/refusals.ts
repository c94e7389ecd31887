/**
 * The desk's French sentences for a refused mutation: the partner contract's `UserError` codes
 * through the site's catalogue (`web/src/error-messages.ts`), said from the desk's side where
 * the catalogue speaks to the member; the API's own message is never shown.
 */
import { userErrorMessage } from '../../error-messages.js';
import type { Answer } from '../../graphql/client.js';
import { failure } from '../shell/forms.js';

const AT_THE_DESK: Partial<Record<string, string>> = {
  UNKNOWN_MEMBER: 'Ce membre n’existe pas chez ce partenaire.',
  ALREADY_CHECKED_IN: 'Cette personne est déjà enregistrée dans un lieu.',
  ALREADY_REGISTERED: 'Cette personne est déjà inscrite à cet événement.',
};

/**
 * What went wrong with a desk mutation, in French; null when it succeeded. `fields` names the
 * form's fields by the API's path (`input.website`), to say which one a refusal is about.
 */
export function deskFailure(
  answer: Answer<unknown>,
  error?: { code: string; field?: string | null } | null,
  fields: Record<string, string> = {},
): string | null {
  const sentence = failure(answer, error, (code) => userErrorMessage(code, AT_THE_DESK));
  const label = error?.field ? fields[error.field] : undefined;
  return sentence && label ? `${sentence} Champ concerné : « ${label} ».` : sentence;
}
