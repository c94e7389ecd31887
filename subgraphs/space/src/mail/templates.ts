import type { MailContent } from '@tiers-lieux/subgraph-shell';

const PARIS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** « jeudi 26 novembre 2026 à 14:00 », in Paris time. */
export function parisDate(date: Date): string {
  return PARIS.format(date);
}

export interface EventFacts {
  title: string;
  startsAt: Date;
  spaceName: string;
  commune: string;
}

export interface MailParts {
  networkName: string;
  /** Who it is for, to greet them. */
  name: string;
  subject: string;
  event: EventFacts;
  paragraphs: string[];
  actions?: { label: string; url: string }[];
  /** The one-click unsubscribe link of an optional message. */
  unsubscribeUrl?: string;
  attachments?: MailContent['attachments'];
}

/** One mail in French, as HTML and as text, signed by the space and the network. */
export function composeMail(parts: MailParts): MailContent {
  const where = `${parts.event.spaceName} (${parts.event.commune})`;
  const intro = `« ${parts.event.title} », ${where}, le ${parisDate(parts.event.startsAt)}.`;
  const signature = `${parts.event.spaceName}, membre du ${parts.networkName}`;
  const text = [
    `Bonjour ${parts.name},`,
    '',
    intro,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...(parts.actions ?? []).flatMap((a) => [`${a.label} : ${a.url}`, '']),
    `— ${signature}`,
    ...(parts.unsubscribeUrl
      ? ['', `Ne plus recevoir ce type de message : ${parts.unsubscribeUrl}`]
      : []),
  ].join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${esc(parts.subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p>Bonjour ${esc(parts.name)},</p>
<p><strong>${esc(intro)}</strong></p>
${parts.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
${(parts.actions ?? []).map((a) => `<p><a href="${esc(a.url)}">${esc(a.label)}</a></p>`).join('\n')}
<p>— ${esc(signature)}</p>
${
  parts.unsubscribeUrl
    ? `<p style="font-size: small"><a href="${esc(parts.unsubscribeUrl)}">Ne plus recevoir ce type de message</a></p>`
    : ''
}
</body></html>`;
  return {
    subject: `${parts.subject} — ${parts.event.spaceName}`,
    text,
    html,
    ...(parts.unsubscribeUrl
      ? {
          headers: {
            'List-Unsubscribe': `<${parts.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }
      : {}),
    ...(parts.attachments ? { attachments: parts.attachments } : {}),
  };
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
