import { SMTPServer } from 'smtp-server';

/** The MIME parser, loaded with the first mail caught, not at every start (its charsets are megabytes). */
let mimeParser: Promise<typeof import('mailparser')> | null = null;
const parser = () =>
  (mimeParser ??= import('mailparser').catch((error: unknown) => {
    mimeParser = null;
    throw error;
  }));

/** A mail as the catcher received it. */
export interface CaughtMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Lower-case header names, such as `list-unsubscribe`. */
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: string }[];
  receivedAt: Date;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`, for `SMTP_URL`. */
  url: string;
  port: number;
  /** Every mail received, oldest first (the last `keep` only). */
  mails: CaughtMail[];
  /** Stops listening (senders get connection refused), keeping what was received. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server that keeps what it receives, for the embedded network's `/dev/mails`
 * and for tests: mails go through nodemailer and the SMTP protocol exactly as in production.
 */
export async function startMailCatcher(
  options: { host?: string; port?: number; keep?: number } = {},
): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const keep = options.keep ?? 10_000;
  const mails: CaughtMail[] = [];

  const newServer = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 5_000_000,
      onData(stream, session, callback) {
        parser()
          .then(({ simpleParser }) => simpleParser(stream))
          .then((parsed) => {
            const headers: Record<string, string> = {};
            for (const line of parsed.headerLines) {
              headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
            }
            mails.push({
              messageId: parsed.messageId ? `<${parsed.messageId.replace(/^<|>$/g, '')}>` : '',
              from: parsed.from?.text ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers,
              attachments: parsed.attachments.map((a) => ({
                filename: a.filename ?? '',
                contentType: a.contentType,
                content: a.content.toString('utf8'),
              })),
              receivedAt: new Date(),
            });
            if (mails.length > keep) mails.splice(0, mails.length - keep);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });

  let server = newServer();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const address = server.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));

  const port = await listen(options.port ?? 0);
  let paused = false;
  return {
    url: `smtp://${host}:${port}`,
    port,
    mails,
    async pause() {
      if (paused) return;
      paused = true;
      await stop();
    },
    async resume() {
      if (!paused) return;
      server = newServer();
      await listen(port);
      paused = false;
    },
    async close() {
      if (!paused) await stop();
      paused = true;
    },
  };
}
