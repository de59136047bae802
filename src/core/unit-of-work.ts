/**
 * How a command runs. The actor is resolved in one read outside any transaction. A change runs
 * in one short transaction that also writes its audit rows and its chat effects to the outbox;
 * a view reads without a transaction and writes its audit rows (and any effects) at the end in
 * one short one (audit rows alone in one statement, which views audited at the same moment share:
 * audit-group-commit.ts). Effects are delivered only after commit: no network call is made while
 * a transaction is open, and a platform failure never undoes the user's work.
 */
import type { Actor } from './access/permissions.ts';
import { DomainError } from './errors.ts';
import type { Effects, EffectHandle } from './effects/effect.ts';
import { collectEffects, writeEffects } from './effects/effect-log.ts';
import { resolveActor } from './people/resolve-actor.ts';
import type { AuditActor, AuditEntry, AuditLog, Repositories } from './ports.ts';
import type { CoreRequest, Services } from './services.ts';

/**
 * How long a command waits after commit for effects it marked awaited (the link to a new
 * thread, say) before answering without them; they carry on in the background. Short, because a
 * Slack modal submission is acknowledged only once the command has answered (3-second limit).
 */
export const AWAIT_EFFECTS_MS = 1500;

function notAMember(): DomainError {
  return new DomainError(
    'not_a_member',
    'You are not on a Casework team yet. Ask your team admin to add you to the roster (or, to start a new team, run setup in your team channel).',
  );
}

/** Resolves who is asking, or refuses with `not_a_member`. */
export async function requireActor(req: CoreRequest): Promise<Actor> {
  const actor = await resolveActor(req.services.store, req.ctx, req.services.clock.now(), req.services.directory, req.services.actors);
  if (!actor) throw notAMember();
  return actor;
}

async function afterCommit(services: Services, handles: readonly EffectHandle[]): Promise<void> {
  const waiting = handles.filter((h) => !h.outcome);
  if (waiting.length === 0) return;
  if (!services.effects) {
    for (const h of waiting) h.outcome = { status: 'queued' };
    return;
  }
  await services.effects.afterCommit(waiting, AWAIT_EFFECTS_MS);
}

/**
 * Runs `work` in one transaction with an effect collector; the effects are written to the outbox
 * in that transaction and delivered after it commits. `teamId` is the team effects belong to.
 */
export async function inTransaction<T>(services: Services, teamId: string, work: (repos: Repositories, effects: Effects) => Promise<T>): Promise<T> {
  const { value, handles } = await services.store.transaction(async (repos) => {
    const { effects, pending } = collectEffects(teamId);
    const value = await work(repos, effects);
    await writeEffects(repos, pending, services.clock.now());
    return { value, handles: pending.map((p) => p.handle) };
  });
  await afterCommit(services, handles);
  return value;
}

/**
 * Runs a change as the resolved actor: `work` gets the transaction's repositories, the actor and
 * an effect collector. Everything `work` writes, its audit rows and its effects commit together
 * or not at all; the effects are then delivered.
 */
export async function asActor<T>(req: CoreRequest, work: (repos: Repositories, actor: Actor, effects: Effects) => Promise<T>): Promise<T> {
  const actor = await requireActor(req);
  return inTransaction(req.services, actor.team.id, (repos, effects) => work(repos, actor, effects));
}

/** An audit log that keeps rows until the view has been built, then writes them in one go. */
function bufferedAudit(reads: AuditLog): { log: AuditLog; rows: { actor: AuditActor; entry: AuditEntry }[] } {
  const rows: { actor: AuditActor; entry: AuditEntry }[] = [];
  return {
    rows,
    log: {
      async record(actor, entry) {
        rows.push({ actor, entry });
      },
      async recordMany(more) {
        rows.push(...more);
      },
      forCase: (caseId) => reads.forCase(caseId),
    },
  };
}

/**
 * Runs a view as the resolved actor: `work` reads without a transaction (no lock is held while
 * it builds the answer). Audit rows it records (views are audited) and effects it adds are
 * written at the end in one short transaction, before the answer is returned.
 */
export async function viewAsActor<T>(req: CoreRequest, work: (repos: Repositories, actor: Actor, effects: Effects) => Promise<T>): Promise<T> {
  const actor = await requireActor(req);
  const { effects, pending } = collectEffects(actor.team.id);
  const { value, rows } = await req.services.store.read(async (reads) => {
    const audit = bufferedAudit(reads.audit);
    const value = await work({ ...reads, audit: audit.log }, actor, effects);
    return { value, rows: audit.rows };
  });
  if (rows.length === 0 && pending.length === 0) return value;
  if (pending.length === 0) {
    // One statement is atomic on its own: no BEGIN and COMMIT round trips for a view's audit rows;
    // with a group writer, views audited at the same moment share the statement.
    if (req.services.viewAudit) await req.services.viewAudit.write(rows);
    else await req.services.store.read((repos) => repos.audit.recordMany(rows));
    return value;
  }
  await req.services.store.transaction(async (repos) => {
    await repos.audit.recordMany(rows);
    await writeEffects(repos, pending, req.services.clock.now());
  });
  await afterCommit(req.services, pending.map((p) => p.handle));
  return value;
}
