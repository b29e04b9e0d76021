import { randomBytes } from "node:crypto";

export interface PgpMimeMessageInput {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  armored: string;
  date?: Date;
}

/** Shown only by mail clients that do not understand MIME; RFC 3156-aware clients skip it. */
const PREAMBLE = "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)";

/**
 * Builds an RFC 3156 PGP/MIME message by hand: nodemailer cannot put the control part before
 * the ciphertext part with the right content types. Headers carry only configured addresses,
 * the configured subject, a date and a Message-ID derived from the case id.
 */
export function buildPgpMimeMessage(input: PgpMimeMessageInput): string {
  const boundary = `vertrouwd-${randomBytes(12).toString("hex")}`;
  // Armor is ASCII with short lines, so 7bit with CRLF line ends is exact and needs no re-encoding.
  const body = input.armored.replace(/\r\n|\r|\n/g, "\r\n").replace(/(\r\n)+$/, "");
  const headers = [
    `From: ${input.from}`,
    `To: ${input.to}`,
    `Subject: ${encodeHeaderText(input.subject)}`,
    `Date: ${(input.date ?? new Date()).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${input.messageId}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";\r\n boundary="${boundary}"`,
  ];
  const parts = [
    PREAMBLE,
    `--${boundary}`,
    "Content-Type: application/pgp-encrypted",
    "Content-Description: PGP/MIME version identification",
    "",
    "Version: 1",
    "",
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    "Content-Description: OpenPGP encrypted message",
    'Content-Disposition: inline; filename="encrypted.asc"',
    "Content-Transfer-Encoding: 7bit",
    "",
    body,
    "",
    `--${boundary}--`,
    "",
  ];
  return `${headers.join("\r\n")}\r\n\r\n${parts.join("\r\n")}`;
}

/** Message-ID from the case id, so a resent attempt is recognisably the same message. */
export function messageIdFor(caseId: string, fromAddress: string): string {
  const domain = fromAddress.split("@")[1] ?? "vertrouwd.invalid";
  return `<vertrouwd.${caseId.toLowerCase()}@${domain}>`;
}

/** RFC 2047 encoded-words for a non-ASCII subject; plain ASCII passes through unchanged. */
export function encodeHeaderText(text: string): string {
  if (/[\r\n]/.test(text)) throw new Error("header text must not contain line breaks");
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const chars = Array.from(text);
  const words: string[] = [];
  // 10 code points are at most 40 UTF-8 bytes, which keeps each encoded-word under 75 characters.
  for (let i = 0; i < chars.length; i += 10) {
    words.push(`=?UTF-8?B?${Buffer.from(chars.slice(i, i + 10).join(""), "utf8").toString("base64")}?=`);
  }
  return words.join("\r\n ");
}
