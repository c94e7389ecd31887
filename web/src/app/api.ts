/**
 * The page's access to the gateway: typed operations over `/graphql`, and the notice that
 * names the partners whose data is missing from an answer.
 */
import {
  missingPartners,
  request,
  type Answer,
  type MissingPartner,
  type Operation,
} from '../graphql/client.js';
import { PARTNERS } from '../graphql/operations.js';
import { h, replace } from './dom.js';
import { listing } from './format.js';
import { serverContext } from './page-context.js';

const ENDPOINT = '/graphql';

let partnerNames: Promise<Map<string, string>> | null = null;

/** Partner names from the network's registry, asked once; slugs stand in when it fails. */
function names(): Promise<Map<string, string>> {
  partnerNames ??= request(ENDPOINT, PARTNERS, {})
    .then((answer) => new Map((answer.data?.partners ?? []).map((p) => [p.slug, p.name])))
    .catch(() => new Map<string, string>());
  return partnerNames;
}

const missing = new Map<string, MissingPartner>();

function noticeArea(): HTMLElement {
  return document.getElementById('avis-partenaires')!;
}

/** Forgets the missing partners of the previous page. */
export function resetNotice(): void {
  missing.clear();
  replace(noticeArea());
}

async function showNotice(): Promise<void> {
  if (missing.size === 0) return;
  const known = await names();
  const partners = [...missing.keys()].map((slug) => `« ${known.get(slug) ?? slug} »`);
  replace(
    noticeArea(),
    h(
      'div',
      { class: 'avis', 'data-partenaires': [...missing.keys()].join(' ') },
      h('h2', {}, 'Informations incomplètes'),
      h(
        'p',
        {},
        partners.length === 1
          ? `Le partenaire ${partners[0]} ne répond pas pour le moment : ses lieux et ses événements manquent ci-dessous.`
          : `Les partenaires ${listing(partners)} ne répondent pas pour le moment : leurs lieux et leurs événements manquent ci-dessous.`,
        ' Le reste du réseau est affiché ; réessayez dans quelques minutes.',
      ),
    ),
  );
}

/**
 * The answers the server used to render the page the browser received, in the order it asked
 * them: the page's first render takes them instead of asking again, and shows the same thing.
 */
const preloaded = new Map<string, Answer<unknown>[]>();

export const PRELOADED_ID = 'donnees-page';
/** The mark of a page the server rendered whole, which the script keeps as it came. */
export const KEPT_AS_SENT = 'data-rendu-serveur';

/** Reads the server's answers out of the page (once, for its first render). */
export function takePreloadedAnswers(): void {
  const block = document.getElementById(PRELOADED_ID);
  if (!block) return;
  block.remove();
  try {
    const answers = JSON.parse(block.textContent ?? '[]') as [string, Answer<unknown>][];
    for (const [op, answer] of answers) preloaded.set(op, [...(preloaded.get(op) ?? []), answer]);
  } catch {
    // A page whose data block does not parse asks the gateway, as any later page does.
  }
}

export function forgetPreloadedAnswers(): void {
  preloaded.clear();
}

/** Sends an operation; an answer that lacks a partner's data shows the notice. */
export async function ask<Result, Variables>(
  op: Operation<Result, Variables>,
  variables: Variables,
): Promise<Answer<Result>> {
  const server = serverContext();
  if (server) return server.ask(op, variables);
  const answer =
    (preloaded.get(op)?.shift() as Answer<Result> | undefined) ??
    (await request(ENDPOINT, op, variables));
  const absent = missingPartners(answer.errors);
  if (absent.length > 0) {
    for (const m of absent) missing.set(m.partner, m);
    await showNotice();
  }
  return answer;
}

/** Errors of an answer other than missing partners (those have the notice). */
export function otherErrors(answer: Answer<unknown>) {
  return answer.errors.filter((e) => !String(e.extensions?.code ?? '').startsWith('PARTNER_'));
}
