import type { FastifyPluginAsync } from 'fastify';
import { esc } from './mail-links.js';

/** A mail as the embedded network's SMTP server kept it. */
export interface DevMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/**
 * `/dev/mails`: the mails the embedded network sent, newest first, with their links clickable,
 * so that someone trying the network can confirm a registration as a guest would. Mounted by
 * the embedded network only, never in production.
 */
export function devMailRoutes(mails: () => readonly DevMail[]): FastifyPluginAsync {
  return async (app) => {
    app.get('/dev/mails', (_request, reply) => {
      const list = [...mails()].reverse();
      const items = list
        .map((mail, i) => {
          const text = esc(mail.text).replace(
            /https?:\/\/[^\s<]+/g,
            (url) => `<a href="${url}">${url}</a>`,
          );
          return `<article><h2>${esc(mail.subject)}</h2>
<p>À ${esc(mail.to.join(', '))} · ${mail.receivedAt.toISOString()} · <code>${esc(mail.messageId)}</code> · n° ${list.length - i}</p>
<pre>${text}</pre></article>`;
        })
        .join('\n<hr>\n');
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CSP)
        .header('cache-control', 'no-store')
        .send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mails envoyés (développement)</title>
<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}pre{white-space:pre-wrap}</style></head>
<body><h1>Mails envoyés par le réseau embarqué</h1>
<p>${list.length} mail(s), du plus récent au plus ancien. Cette page n'existe qu'en développement.</p>
${items || '<p>Aucun mail pour le moment.</p>'}</body></html>`);
    });
  };
}
