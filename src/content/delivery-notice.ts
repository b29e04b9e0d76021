import type { Locale } from "../../flows/domain.ts";

/**
 * Counsellor-facing text that travels with a delivered file. It is deliberately generic: no
 * topic, no case code, no hash — nothing a workspace export could tie to a melder's chat.
 */
export interface NoticeText {
  /** Posted with the encrypted file in the counsellor's Slack DM. */
  slackFileNotice: string;
}

export const NOTICE_TEXT: Record<Locale, NoticeText> = {
  nl: {
    slackFileNotice:
      "Er is een nieuw versleuteld bericht voor je binnengekomen via Vertrouwd. " +
      "Open het bijgevoegde .asc-bestand met je eigen privésleutel, bijvoorbeeld met `vertrouwd open` of GnuPG. " +
      "Sla de ontsleutelde inhoud niet op in Slack.",
  },
  en: {
    slackFileNotice:
      "A new encrypted message has arrived for you via Vertrouwd. " +
      "Open the attached .asc file with your own private key, for example with `vertrouwd open` or GnuPG. " +
      "Do not store the decrypted content in Slack.",
  },
};

export function noticeText(locale: Locale): NoticeText {
  return NOTICE_TEXT[locale];
}
