/**
 * The part of mailparser's API the desk uses. mailparser ships no type declarations and the
 * DefinitelyTyped package would be a dependency for five fields.
 */
declare module "mailparser" {
  export interface Attachment {
    contentType: string;
    filename?: string;
    content: Buffer;
  }
  export interface ParsedMail {
    text?: string;
    attachments: Attachment[];
  }
  export interface ParserOptions {
    skipHtmlToText?: boolean;
    skipTextToHtml?: boolean;
    skipImageLinks?: boolean;
    maxHtmlLengthToParse?: number;
  }
  export function simpleParser(source: Buffer | string, options?: ParserOptions): Promise<ParsedMail>;
}
