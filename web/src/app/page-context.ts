/**
 * Where a page is being rendered: in the browser (the global document, `/graphql` over fetch),
 * or on the server, which renders the same pages into a document of its own for each request
 * (src/server/render.ts) and provides it here through an AsyncLocalStorage, so that concurrent
 * requests never share one.
 */
import type { Answer, Operation } from '../graphql/client.js';
import type { CommuneChoice } from './communes.js';

export type Ask = <Result, Variables>(
  op: Operation<Result, Variables>,
  variables: Variables,
) => Promise<Answer<Result>>;

export interface PageContext {
  document: Document;
  /** Sends an operation to the gateway that serves the page. */
  ask: Ask;
  /** The site's origin, for absolute links (JSON-LD, feeds). */
  origin: string;
  /** The server's commune index, asked directly. */
  communes: {
    search(query: string): CommuneChoice[];
    byCode(code: string): CommuneChoice | null;
  };
  /** The map's tiles (`{z}/{x}/{y}` template), for the script. */
  tileUrl?: string;
}

let provider: () => PageContext | undefined = () => undefined;

/** Called once by the server; the browser never calls it. */
export function providePageContext(current: () => PageContext | undefined): void {
  provider = current;
}

export function serverContext(): PageContext | undefined {
  return provider();
}

export function pageDocument(): Document {
  return provider()?.document ?? document;
}

export function pageOrigin(): string {
  return provider()?.origin ?? location.origin;
}
