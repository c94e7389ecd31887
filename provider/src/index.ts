import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { PasswordAccounts, type Account } from './accounts.js';
import { newSigningKey } from './keys.js';
import { consentPage, errorPage, loginPage, logoutPage, signedOutPage } from './pages.js';

export { PasswordAccounts, hashPassword, passwordMatches, type Account } from './accounts.js';
export { newSigningKey } from './keys.js';

export interface DevProviderClient {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page. */
  name?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** The network's own site: no consent page (the person signs in to the network itself). */
  firstParty?: boolean;
}

export interface DevProviderOptions {
  host?: string;
  /** 0 (a free port) by default. */
  port?: number;
  clients?: DevProviderClient[];
  /** The seeded people, with the seeded password, unless given. */
  accounts?: PasswordAccounts;
  /** Private JWKs the tokens are signed with (kept by the embedded network across restarts); made when absent. */
  signingKeys?: { keys: Record<string, unknown>[] };
  /** Keys of the provider's own cookies; made when absent. */
  cookieKeys?: string[];
  /**
   * The API's resource indicator: access tokens are JWTs with this audience (RFC 9068), which
   * the gateway verifies as bearer tokens.
   */
  apiAudience?: string;
  log?: (message: string) => void;
}

export interface DevProvider {
  /** The issuer, which is also the base of its discovery document. */
  issuer: string;
  /** Registers a client; only before the first request (the client list is fixed then). */
  addClient(client: DevProviderClient): void;
  /** The public half of the signing keys. */
  publicKeys(): { keys: Record<string, unknown>[] };
  stop(): Promise<void>;
}

const API_SCOPE = 'network';

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * `formTargets`: the clients' origins. A browser applies `form-action` to the redirects that
 * follow a form's POST too (Chromium does), and signing in ends with a redirect to the client.
 */
function sendHtml(res: ServerResponse, status: number, html: string, formTargets: string[] = []) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${["'self'", ...formTargets].join(' ')}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

/**
 * The embedded network's OpenID provider: `oidc-provider` (a certified implementation) with a
 * French sign-in page and password accounts. It listens on its own loopback port; its issuer
 * is that address. Development and the embedded network only: it keeps its sessions and grants
 * in memory.
 */
export async function startDevProvider(options: DevProviderOptions = {}): Promise<DevProvider> {
  const log = options.log ?? (() => {});
  const accounts = options.accounts ?? (await PasswordAccounts.seeded());
  const clients = [...(options.clients ?? [])];
  const signingKeys = options.signingKeys ?? { keys: [newSigningKey()] };
  const cookieKeys = options.cookieKeys ?? [randomBytes(32).toString('base64url')];
  const firstParty = () => new Set(clients.filter((c) => c.firstParty).map((c) => c.clientId));

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`provider: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendHtml(res, 500, errorPage('Une erreur interne est survenue.'));
      else res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let oidc: Provider | null = null;
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;

  function build(): Provider {
    const configuration: Configuration = {
      clients: clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        client_name: client.name ?? client.clientId,
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      })),
      async findAccount(_ctx, id) {
        const account = accounts.find(id);
        if (!account) return undefined;
        return {
          accountId: account.id,
          async claims() {
            return {
              sub: account.id,
              email: account.email,
              email_verified: account.emailVerified,
              name: account.name,
            };
          },
        };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      scopes: ['openid', 'email', 'profile', API_SCOPE],
      pkce: { required: () => true },
      jwks: signingKeys as Configuration['jwks'],
      cookies: { keys: cookieKeys },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          async logoutSource(ctx: KoaContextWithOIDC, form: string) {
            ctx.body = logoutPage(form);
          },
          async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
            ctx.body = signedOutPage();
          },
        },
        resourceIndicators: {
          enabled: true,
          defaultResource: async () => options.apiAudience ?? undefined!,
          useGrantedResource: async () => true,
          async getResourceServerInfo(_ctx, resourceIndicator) {
            if (!options.apiAudience || resourceIndicator !== options.apiAudience)
              throw new errors.InvalidTarget();
            return {
              scope: API_SCOPE,
              audience: options.apiAudience,
              accessTokenFormat: 'jwt',
              accessTokenTTL: 3600,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      async renderError(ctx, _out, error) {
        log(`provider: ${error instanceof Error ? error.message : String(error)}`);
        ctx.type = 'html';
        ctx.body = errorPage('La demande de connexion n’est pas valable ou a expiré.');
      },
      ttl: { Session: 8 * 3600, Interaction: 600, Grant: 14 * 24 * 3600, IdToken: 3600 },
    };
    const provider = new Provider(issuer, configuration);
    provider.on('server_error', (_ctx, error) => log(`provider: ${error.message}`));
    return provider;
  }

  const clientOrigins = () => [
    ...new Set(
      clients.flatMap((c) =>
        [...c.redirectUris, ...(c.postLogoutRedirectUris ?? [])].map((uri) => new URL(uri).origin),
      ),
    ),
  ];
  const sendPage = (res: ServerResponse, status: number, html: string) =>
    sendHtml(res, status, html, clientOrigins());

  async function handle(req: IncomingMessage, res: ServerResponse) {
    oidc ??= build();
    callback ??= oidc.callback();
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(
      url.pathname,
    );
    if (!match) return callback(req, res);
    const [, uid, action] = match;
    let details;
    try {
      details = await oidc.interactionDetails(req, res);
    } catch {
      return sendPage(res, 400, errorPage('Cette page de connexion a expiré.'));
    }
    if (details.uid !== uid)
      return sendPage(res, 400, errorPage('Cette page de connexion a expiré.'));
    const clientId = String(details.params.client_id);

    if (!action && req.method === 'GET') {
      if (details.prompt.name === 'login') return sendPage(res, 200, loginPage({ uid: uid! }));
      if (firstParty().has(clientId)) return finishConsent(req, res, details);
      const client = await oidc.Client.find(clientId);
      return sendPage(
        res,
        200,
        consentPage({ uid: uid!, clientName: client?.clientName ?? clientId }),
      );
    }
    if (req.method !== 'POST') return sendPage(res, 405, errorPage('Méthode non permise.'));
    if (action === 'abort') {
      return oidc.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
    }
    if (action === 'login') {
      const form = await readForm(req);
      const email = form.get('email') ?? '';
      const account: Account | null = await accounts.signIn(email, form.get('password') ?? '');
      if (!account) {
        return sendPage(
          res,
          401,
          loginPage({
            uid: uid!,
            email,
            error: 'Adresse e-mail ou mot de passe incorrect.',
          }),
        );
      }
      return oidc.interactionFinished(
        req,
        res,
        { login: { accountId: account.id } },
        { mergeWithLastSubmission: false },
      );
    }
    return finishConsent(req, res, details);
  }

  async function finishConsent(
    req: IncomingMessage,
    res: ServerResponse,
    details: Awaited<ReturnType<Provider['interactionDetails']>>,
  ) {
    const provider = oidc!;
    if (details.prompt.name !== 'consent' || !details.session?.accountId)
      return sendPage(res, 400, errorPage('Cette page de connexion a expiré.'));
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({
          accountId: details.session.accountId,
          clientId: String(details.params.client_id),
        }))
      : new provider.Grant({
          accountId: details.session.accountId,
          clientId: String(details.params.client_id),
        });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    return provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  return {
    issuer,
    addClient(client) {
      if (oidc) throw new Error('The provider has started serving: its clients are fixed');
      clients.push(client);
    },
    publicKeys() {
      return {
        keys: signingKeys.keys.map(({ d, p, q, dp, dq, qi, ...publicPart }) => publicPart),
      };
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
