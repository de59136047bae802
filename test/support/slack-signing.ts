/** Signs requests the way Slack does, so tests exercise Bolt's real signature verification. */
import { createHmac } from 'node:crypto';

/** Headers for a body signed with `secret` at `timestamp` (seconds; defaults to now). */
export function slackSignatureHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** Posts a signed form-encoded body (slash commands; interactivity as `payload=`). */
export async function postSlackForm(url: string, secret: string, fields: Record<string, string>, options: { timestamp?: number; sign?: boolean } = {}) {
  const body = new URLSearchParams(fields).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.sign !== false) Object.assign(headers, slackSignatureHeaders(secret, body, options.timestamp));
  return fetch(url, { method: 'POST', headers, body });
}

/** Posts a signed JSON body (Events API). */
export async function postSlackEvent(url: string, secret: string, payload: unknown, extraHeaders: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json', ...slackSignatureHeaders(secret, body), ...extraHeaders };
  return fetch(url, { method: 'POST', headers, body });
}

/** A slash command as Slack sends it (fields from Slack's documented example; ids are placeholders). */
export function slashCommand(text: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0TEAM',
    team_domain: 'example',
    enterprise_id: '',
    enterprise_name: '',
    channel_id: 'C0CHANNEL',
    channel_name: 'mosovo-team',
    user_id: 'U0OFFICER',
    user_name: 'officer',
    command: '/casework',
    text,
    api_app_id: 'A0CASEWORK',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:1/response/unset',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...overrides,
  };
}
