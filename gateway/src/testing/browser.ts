/**
 * A browser as far as sign-in needs one: fetch with a cookie jar and no automatic redirects.
 * The jar ignores paths and ports (as a browser does for ports), which is all the flows here
 * need.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The `Set-Cookie` lines of the last answer, as sent. */
  lastSetCookies: string[] = [];

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      const expired = attributes.some(
        (a) =>
          /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Posts a form as a browser would. */
  postForm(
    url: string | URL,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** The `action` of a page's first form whose action ends with `suffix`. */
export function formAction(html: string, base: string, suffix: string): string {
  for (const match of html.matchAll(/<form[^>]*action="([^"]+)"/g)) {
    const action = match[1]!.replace(/&amp;/g, '&');
    if (action.endsWith(suffix)) return new URL(action, base).href;
  }
  throw new Error(`no form ending in ${suffix} in:\n${html.slice(0, 2000)}`);
}

/**
 * Follows redirects from `url`, signs in at the embedded provider's page with `email` and
 * `password`, consents when asked, and stops at the first URL that `isCallback` accepts (not
 * fetched: the caller decides what to do with it).
 */
export async function signInAtProvider(
  browser: TestBrowser,
  url: string,
  credentials: { email: string; password: string },
  isCallback: (url: string) => boolean,
): Promise<string> {
  let next = url;
  let response: Response | null = null;
  for (let hops = 0; hops < 20; hops++) {
    if (isCallback(next)) return next;
    response = await browser.fetch(next);
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get('location')!, next).href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${next} answered ${response.status}: ${html}`);
    const form = html.includes('/login"')
      ? await browser.postForm(formAction(html, next, '/login'), credentials)
      : await browser.postForm(formAction(html, next, '/confirm'), {});
    if (form.status < 300 || form.status >= 400)
      throw new Error(`the provider refused the form (${form.status}): ${await form.text()}`);
    next = new URL(form.headers.get('location')!, next).href;
  }
  throw new Error('too many redirects');
}
