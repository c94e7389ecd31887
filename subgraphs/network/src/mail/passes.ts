import {
  signLinkToken,
  verifyLinkToken,
  type MailContent,
  type OwedMail,
} from '@tiers-lieux/subgraph-shell';
import { PASS_MESSAGE_KINDS, type PassMessageKindName } from '../data/message-preferences.js';

/** What the network subgraph's mails need besides its data: `config.mail`. */
export interface NetworkMailSettings {
  /** The network's name, in every mail. */
  networkName: string;
  /** The domain of the `Message-ID`s. */
  domain: string;
  /** The web page's origin, where the links of the mails point. */
  publicUrl: string;
  /** The network's HMAC secret of the links in its mails. */
  linkSecret: string;
}

/**
 * The path segment of the network's unsubscribe links, `/desabonnement/network/<token>`: the
 * slug no partner may take, so the link page calls the network's mutation, not a partner's.
 */
export const NETWORK_LINK_SEGMENT = 'network';

/** The purpose of the tokens of the network's unsubscribe links. */
const UNSUBSCRIBE_PURPOSE = 'unsubscribe-pass-message';

/** The one-click link that turns off `kind` for the person `personUuid`. */
export function passUnsubscribeUrl(
  settings: Pick<NetworkMailSettings, 'publicUrl' | 'linkSecret'>,
  personUuid: string,
  kind: PassMessageKindName,
): string {
  const token = signLinkToken(settings.linkSecret, UNSUBSCRIBE_PURPOSE, `${personUuid} ${kind}`);
  return `${settings.publicUrl}/desabonnement/${NETWORK_LINK_SEGMENT}/${token}`;
}

/** The person and kind an unsubscribe token of the network names, or null for anything else. */
export function readPassUnsubscribeToken(
  settings: Pick<NetworkMailSettings, 'linkSecret'>,
  token: string,
): { personUuid: string; kind: PassMessageKindName } | null {
  const [personUuid, kind, ...rest] =
    verifyLinkToken(settings.linkSecret, UNSUBSCRIBE_PURPOSE, token)?.split(' ') ?? [];
  if (!personUuid || !kind || rest.length > 0 || !Object.hasOwn(PASS_MESSAGE_KINDS, kind))
    return null;
  return { personUuid, kind: kind as PassMessageKindName };
}

/** A pass's facts as its holder reads them. */
export interface PassFacts {
  /** The holder's person uuid, whom an unsubscribe link names. */
  holderPersonId: string;
  holderName: string;
  holderEmail: string;
  productName: string;
  /** The code as printed on the card (`ABCD-EFGH-JKLM`). */
  code: string;
  entriesLeft: number;
  entriesTotal: number;
  entryMinutes: number;
  expiresAt: Date;
  /** The partners whose spaces take the pass, by name. */
  validAt: string[];
}

/** A pass holder is told when this many entries or fewer are left. */
export const FEW_ENTRIES_LEFT = 2;

const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** The last day a pass is valid (it expires at 00:00 the next day, Paris time). */
function lastValidDay(expiresAt: Date): string {
  return PARIS_DAY.format(new Date(expiresAt.getTime() - 1));
}

function entriesText(n: number): string {
  return n === 1 ? '1 entrée' : `${n} entrées`;
}

function duration(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? '1 heure' : `${minutes / 60} heures`;
  return `${minutes} minutes`;
}

function compose(
  settings: NetworkMailSettings,
  facts: PassFacts,
  subject: string,
  paragraphs: string[],
  /** The optional message's kind: the mail then carries its one-click unsubscribe (RFC 8058). */
  optional?: PassMessageKindName,
): MailContent {
  const unsubscribeUrl = optional
    ? passUnsubscribeUrl(settings, facts.holderPersonId, optional)
    : null;
  const lines = [
    `Code : ${facts.code}`,
    `Entrées restantes : ${facts.entriesLeft} sur ${facts.entriesTotal} (une entrée couvre ${duration(facts.entryMinutes)} de présence)`,
    `Valable jusqu'au ${lastValidDay(facts.expiresAt)} inclus`,
    `Où : ${facts.validAt.length > 0 ? facts.validAt.join(', ') : 'aucun lieu pour le moment'}`,
  ];
  const text = [
    `Bonjour ${facts.holderName},`,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...lines,
    '',
    `— ${settings.networkName}`,
    ...(unsubscribeUrl ? ['', `Ne plus recevoir ce type de message : ${unsubscribeUrl}`] : []),
  ].join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p>Bonjour ${esc(facts.holderName)},</p>
${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<p>— ${esc(settings.networkName)}</p>
${
  unsubscribeUrl
    ? `<p style="font-size: small"><a href="${esc(unsubscribeUrl)}">Ne plus recevoir ce type de message</a></p>\n`
    : ''
}</body></html>`;
  return {
    subject: `${subject} — ${facts.productName}`,
    text,
    html,
    ...(unsubscribeUrl
      ? {
          headers: {
            'List-Unsubscribe': `<${unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }
      : {}),
  };
}

/** The mail of a pass just issued: its code, entries, where and until when it is valid. */
export function passIssuedMail(settings: NetworkMailSettings, facts: PassFacts): OwedMail {
  return {
    kind: 'pass-issued',
    to: facts.holderEmail,
    content: compose(settings, facts, 'Votre pass est prêt', [
      `Votre pass « ${facts.productName} » est émis à votre nom. Présentez son code à l'accueil d'un des lieux ci-dessous : chaque visite y décompte ses entrées.`,
    ]),
  };
}

/** The mail of a pass whose redemption just left `FEW_ENTRIES_LEFT` entries or fewer. */
export function passRunningLowMail(settings: NetworkMailSettings, facts: PassFacts): OwedMail {
  const left =
    facts.entriesLeft === 0
      ? 'Votre pass est épuisé : il ne reste aucune entrée.'
      : `Il ne reste que ${entriesText(facts.entriesLeft)} sur votre pass.`;
  return {
    kind: 'pass-running-low',
    to: facts.holderEmail,
    content: compose(
      settings,
      facts,
      'Votre pass est presque épuisé',
      [
        left,
        "Pour continuer à venir, un nouveau pass s'achète à l'accueil des lieux qui le vendent.",
      ],
      'RUNNING_LOW',
    ),
  };
}

/** The mail of a pass with entries left that expires within `EXPIRY_NOTICE_DAYS`. */
export function passExpiringMail(settings: NetworkMailSettings, facts: PassFacts): OwedMail {
  return {
    kind: 'pass-expiring',
    to: facts.holderEmail,
    content: compose(
      settings,
      facts,
      'Votre pass expire bientôt',
      [
        `Votre pass expire après le ${lastValidDay(facts.expiresAt)} : les ${entriesText(facts.entriesLeft)} qui restent seront alors perdues.`,
      ],
      'EXPIRING',
    ),
  };
}

/** A holder is told this many days before their pass expires, if entries are left. */
export const EXPIRY_NOTICE_DAYS = 14;

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
