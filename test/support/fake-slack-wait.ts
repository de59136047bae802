/**
 * Waiting for a call to reach a fake, driven by the fake's arrival notifications (no polling),
 * with a timeout whose message lists what did arrive.
 */

/** How many matching calls to wait for, and for how long. */
export interface WaitForOptions {
  /** Resolve once this many matching calls have arrived since the last reset (default 1). */
  readonly count?: number;
  /** Reject after this many ms (default 5000). */
  readonly timeoutMs?: number;
}

/** The minimum a recorded call needs for waiting and for the timeout message. */
export interface WaitableCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly rejected?: string;
}

/** What {@link waitForCall} needs from the fake. */
export interface WaitSource<C extends WaitableCall> {
  readonly method: string;
  readonly predicate: ((args: Record<string, unknown>, call: C) => boolean) | undefined;
  readonly options: WaitForOptions | undefined;
  /** Accepted calls to `method`, oldest first. */
  readonly matching: () => readonly C[];
  /** Every call received, for the timeout message. */
  readonly all: () => readonly C[];
  /** Notified after each arrival (and on close); the waiter adds and removes itself. */
  readonly listeners: Set<() => void>;
  readonly isClosed: () => boolean;
}

/** Resolves with the `count`-th matching call, checking now and on every arrival. */
export function waitForCall<C extends WaitableCall>(source: WaitSource<C>): Promise<C> {
  const { method, predicate, listeners } = source;
  const count = source.options?.count ?? 1;
  const timeoutMs = source.options?.timeoutMs ?? 5000;
  const found = (): C[] => source.matching().filter((call) => predicate?.(call.args, call) ?? true);

  return new Promise<C>((resolve, reject) => {
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      listeners.delete(check);
      outcome();
    };
    const check = (): void => {
      const matches = found();
      if (matches.length >= count) finish(() => resolve(matches[count - 1]!));
      else if (source.isClosed()) finish(() => reject(new Error(`waitFor('${method}'): the fake was closed. ${describe(matches.length)}`)));
    };
    const describe = (matched: number): string => {
      const seen = source.all();
      const lines = seen.slice(-20).map((call) => `  - ${call.method}${call.rejected ? ` [${call.rejected}]` : ''} ${truncate(JSON.stringify(call.args), 300)}`);
      const skipped = seen.length > 20 ? `  (${seen.length - 20} earlier calls not shown)\n` : '';
      return `Wanted ${count} call(s) to ${method}${predicate ? ' matching the predicate' : ''}, ${matched} matched. Calls seen (${seen.length}):\n${skipped}${lines.join('\n') || '  (none)'}`;
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`waitFor('${method}') timed out after ${timeoutMs} ms. ${describe(found().length)}`))),
      timeoutMs,
    );
    listeners.add(check);
    check();
  });
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
