/**
 * Slack's published Web API contract (OpenAPI 2.0, October 2020), indexed for the fake Web API:
 * which methods exist and which arguments each one requires. Owns the small allow-list of
 * methods the bot uses that are newer than the spec.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** What the spec says about one Web API method, reduced to what a call check needs. */
export interface SlackMethodContract {
  /** Arguments the method cannot be called without (never `token`: that travels in the header). */
  readonly requiredArgs: readonly string[];
  /** Whether the spec marks the token as required (a few methods, such as `oauth.v2.access`, have none). */
  readonly tokenRequired: boolean;
  /** `spec` when read from the OpenAPI file, `allow-list` when taken from {@link METHODS_NEWER_THAN_SPEC}. */
  readonly source: 'spec' | 'allow-list';
}

/** Why a call breaks the contract; the fake answers it with the matching Slack error. */
export type SlackContractViolation =
  | { readonly kind: 'unknown_method'; readonly method: string; readonly message: string }
  | { readonly kind: 'invalid_arguments'; readonly method: string; readonly missing: readonly string[]; readonly message: string }
  | { readonly kind: 'not_authed'; readonly method: string; readonly message: string };

/**
 * Methods the bot legitimately calls that the 2020 spec predates. Each entry states its required
 * arguments (from docs.slack.dev) so calls to it are still checked. Add an entry only with a reason.
 */
export const METHODS_NEWER_THAN_SPEC: Readonly<Record<string, { readonly requiredArgs: readonly string[]; readonly why: string }>> = {
  'files.getUploadURLExternal': {
    requiredArgs: ['filename', 'length'],
    why: 'step 1 of files.uploadV2 (2023); @slack/web-api no longer uploads through files.upload, which Slack retired',
  },
  'files.completeUploadExternal': {
    requiredArgs: ['files'],
    why: 'step 3 of files.uploadV2 (2023): shares the uploaded file into the channel or thread',
  },
};

const REPO_ROOT = new URL('../../', import.meta.url);

/** Where the spec sits: in the repository, with its licence (`test/fixtures/slack-api-specs/SOURCE.md`). */
export const SLACK_OPENAPI_SPEC_PATH = fileURLToPath(
  new URL('test/fixtures/slack-api-specs/web-api/slack_web_openapi_v2.json', REPO_ROOT),
);

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
}

let cached: Promise<ReadonlyMap<string, SlackMethodContract>> | undefined;

/** Loads and indexes the spec once per process; later calls share the same map. */
export function loadSlackMethodContracts(): Promise<ReadonlyMap<string, SlackMethodContract>> {
  cached ??= readFile(SLACK_OPENAPI_SPEC_PATH, 'utf8').then(
    (text) => indexContracts(JSON.parse(text) as OpenApiDocument),
    (error: unknown) => {
      cached = undefined; // let a later call retry rather than caching a missing file forever
      throw new Error(`Cannot read Slack's OpenAPI spec at ${SLACK_OPENAPI_SPEC_PATH}: ${String(error)}`);
    },
  );
  return cached;
}

function indexContracts(doc: OpenApiDocument): ReadonlyMap<string, SlackMethodContract> {
  const contracts = new Map<string, SlackMethodContract>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    const parameters = Object.values(operations).flatMap((op) => op.parameters ?? []);
    contracts.set(path.replace(/^\//, ''), {
      requiredArgs: parameters.filter((p) => p.required === true && p.name !== 'token').map((p) => p.name),
      tokenRequired: parameters.some((p) => p.name === 'token' && p.required === true),
      source: 'spec',
    });
  }
  for (const [method, { requiredArgs }] of Object.entries(METHODS_NEWER_THAN_SPEC)) {
    if (contracts.has(method)) throw new Error(`${method} is in the spec now: remove it from METHODS_NEWER_THAN_SPEC`);
    contracts.set(method, { requiredArgs, tokenRequired: true, source: 'allow-list' });
  }
  return contracts;
}

/**
 * Checks one call against the contract: the method exists, a token came with it when required,
 * and every required argument is present and non-empty. Returns undefined when the call is fine.
 */
export function checkSlackCall(
  contracts: ReadonlyMap<string, SlackMethodContract>,
  method: string,
  args: Readonly<Record<string, unknown>>,
  token: string | undefined,
): SlackContractViolation | undefined {
  const contract = contracts.get(method);
  if (contract === undefined) {
    return { kind: 'unknown_method', method, message: `${method} is not in Slack's Web API spec nor in METHODS_NEWER_THAN_SPEC` };
  }
  if (contract.tokenRequired && !token) {
    return { kind: 'not_authed', method, message: `${method} was called without a token` };
  }
  const missing = contract.requiredArgs.filter((name) => args[name] === undefined || args[name] === null || args[name] === '');
  if (missing.length > 0) {
    return { kind: 'invalid_arguments', method, missing, message: `${method} is missing required argument(s): ${missing.join(', ')}` };
  }
  return undefined;
}
