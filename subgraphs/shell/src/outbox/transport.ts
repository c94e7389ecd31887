import nodemailer from 'nodemailer';
import type { MailContent } from './table.js';

/** A mail as it leaves: its stable `Message-ID`, its addresses and what it says. */
export interface OutgoingMail extends MailContent {
  messageId: string;
  from: string;
  to: string;
}

/** Where the dispatcher hands mails; it throws when the server refuses or cannot be reached. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer, to the server an `smtp://` or `smtps://` URL names. */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      await transporter.sendMail({
        messageId: mail.messageId,
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        attachments: mail.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    },
    close: () => transporter.close(),
  };
}
