// The server renders the page's own code (src/app), typed against the DOM, into linkedom's
// documents: the programs that mount the site type-check it with the DOM's types too.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The pages that exist without JavaScript: the directory's first page, a space's page, an
 * event's page and the invitation to sign in of "Mon espace" are rendered here by the web page's own code (src/app/pages), from the same
 * operations sent to this gateway over loopback, into a document made for the request
 * (linkedom). The HTML carries the content, the JSON-LD and the answers used; the script then
 * takes over from those answers without asking again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { request, type Answer } from '../graphql/client.js';
import { KEPT_AS_SENT, PRELOADED_ID } from '../app/api.js';
import { providePageContext, type PageContext } from '../app/page-context.js';
import { directoryPage } from '../app/pages/directory.js';
import { eventPage } from '../app/pages/event.js';
import { notFound } from '../app/pages/problems.js';
import { signInToMySpace } from '../app/pages/sign-in-first.js';
import { spacePage } from '../app/pages/space.js';
import { signInHref } from '../app/session.js';
import { pageTitle } from '../app/title.js';
import { communeIndex } from './communes.js';

const current = new AsyncLocalStorage<PageContext>();
providePageContext(() => current.getStore());

export interface RenderedPage {
  status: number;
  html: string;
}

type Render = ((main: HTMLElement, url: URL) => Promise<string>) & {
  /** Nothing on the page needs the script (links aside): the script keeps it as it came. */
  static?: boolean;
};

/** The page of a path, or null when the path is none of the server-rendered ones. */
export function serverRendered(path: string): Render | null {
  const id = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
  if (path === '/') return (main, url) => directoryPage(main, url);
  if (path.startsWith('/lieux/'))
    return Object.assign((main: HTMLElement) => spacePage(main, id('/lieux/')), { static: true });
  if (path.startsWith('/evenements/')) return (main) => eventPage(main, id('/evenements/'));
  // Signed in or not, the server cannot tell: it invites to sign in; the script shows the space.
  if (path === '/mon-espace')
    return (main) => Promise.resolve(signInToMySpace(main, signInHref(path)));
  return null;
}

const STATUS_OF_TITLE: Record<string, number> = {
  'Page introuvable': 404,
  'Information indisponible': 503,
};

/**
 * Renders `render` into the site's HTML shell. `graphqlEndpoint` is this gateway's own; the
 * page's errors never escape (a failed render is the page the script would have shown).
 */
export async function renderPage(options: {
  shell: string;
  url: URL;
  origin: string;
  graphqlEndpoint: string;
  render: Render;
  status?: number;
}): Promise<RenderedPage> {
  // Loaded with the first page rendered, not at every start of the gateway.
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML(options.shell);
  const main = document.getElementById('contenu') as unknown as HTMLElement;
  const answers: [string, Answer<unknown>][] = [];
  const context: PageContext = {
    document: document as unknown as Document,
    origin: options.origin,
    communes: {
      search: (query) => communeIndex().search(query),
      byCode: (code) => communeIndex().byCode(code),
    },
    ask: async (op, variables) => {
      const answer = await request(options.graphqlEndpoint, op, variables);
      answers.push([op, answer]);
      return answer;
    },
  };
  let title: string;
  try {
    title = await current.run(context, () => options.render(main, options.url));
  } catch {
    return { status: 503, html: options.shell };
  }
  document.title = pageTitle(title);
  // "Se connecter" in the header comes back here without the script too.
  document
    .querySelector('#compte-entete a.connexion')
    ?.setAttribute('href', signInHref(`${options.url.pathname}${options.url.search}`));
  if (options.render.static) main.setAttribute(KEPT_AS_SENT, '');
  else {
    // The answers travel with the page, for the script to render the same from them.
    const data = document.createElement('script');
    data.setAttribute('type', 'application/json');
    data.id = PRELOADED_ID;
    data.textContent = JSON.stringify(answers).replace(/</g, '\\u003c');
    document.body.appendChild(data);
  }
  return {
    status: options.status ?? STATUS_OF_TITLE[title] ?? 200,
    html: `<!doctype html>\n${document.documentElement.outerHTML}`,
  };
}

/** The French "page not found" in the site's look, for any path no route serves. */
export async function renderNotFound(shell: string, origin: string): Promise<RenderedPage> {
  return renderPage({
    shell,
    url: new URL('/', origin),
    origin,
    graphqlEndpoint: '',
    status: 404,
    render: Object.assign(
      async (main: HTMLElement) =>
        notFound(main, 'Cette adresse ne correspond à aucune page du site.'),
      { static: true },
    ),
  });
}
