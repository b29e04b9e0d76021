/** Delivery: the transports that move ciphertext to counsellors, and their retries. */
export { OutboxTransport } from "./outbox.ts";
export { DEFAULT_RETRY_POLICY, DeliveryFailedError, deliverWithRetry, type RetryPolicy } from "./retry.ts";
export { createSlackDeliveryClient, SLACK_FILE_SCOPES, SlackFileTransport } from "./slack-file.ts";
export { parseSmtpUrl, SmtpTransport } from "./smtp.ts";
export { type DeliveryConfirmation, DeliveryError, type SealedHandoff, type Transport } from "./transport.ts";
export { signWebhookBody, WebhookTransport } from "./webhook.ts";
export {
  checkTransports,
  createTransport,
  retryPolicyFor,
  type TransportCheck,
  TransportConfigError,
  type TransportDeps,
} from "./factory.ts";
