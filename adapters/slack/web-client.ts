/**
 * The adapter's Web API clients. Each has its own request queue, so a call with a deadline never
 * waits behind chat traffic: `views` (views.open's trigger_id expires 3 s after the click),
 * `chat` (the next prompt, on the turn's critical path) and `marks` (collapsing answered
 * messages, which runs alongside the turn). Every failed call is counted by method, never with
 * its channel or error text.
 *
 * @slack/web-api 8.2 builds its debug lines (`JSON.stringify` of every request body and
 * response) before it hands them to the logger, whatever the log level: no option turns that
 * off. Block Kit payloads are therefore passed as JSON strings (`json()`), which that
 * serialisation copies instead of walking, and which the client sends as they are.
 */
import { webApi } from "@slack/bolt";

export type ApiFailure = (method: string) => void;

export function createWebClient(
  token: string | undefined,
  options: webApi.WebClientOptions,
  onFailure: ApiFailure,
): webApi.WebClient {
  class Metered extends webApi.WebClient {
    override async apiCall(method: string, args?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
      try {
        return await super.apiCall(method, args);
      } catch (err) {
        onFailure(method);
        throw err;
      }
    }
  }
  return new Metered(token, options);
}

/**
 * A Block Kit value as the JSON string Slack's form-encoded API accepts, typed as the value so
 * the WebClient's method types still check the call.
 */
export const json = <T>(value: T): T => JSON.stringify(value) as unknown as T;
