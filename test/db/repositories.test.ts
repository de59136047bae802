import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../src/core/policy/policy.ts';
import type { NewCase, Repositories, Store } from '../../src/core/ports.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import { createTestDb, DATABASE_KINDS } from '../support/test-db.ts';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}`;

function caseData(teamId: string, key: string, overrides: Partial<NewCase> = {}): NewCase {
  return {
    teamId,
    key,
    externalRef: null,
    riskLevel: 'high',
    managementMode: 'active',
    leadOfficerId: null,
    supervisorId: null,
    coworkerIds: [],
    mappaCategory: null,
    mappaLevel: null,
    lastAssessmentOn: '2026-01-05',
    lastVisitOn: null,
    lastMappaReviewOn: null,
    planVisitIntervalMonths: null,
    planReviewIntervalMonths: null,
    createdOn: '2026-01-02',
    ...overrides,
  };
}

describe.each(DATABASE_KINDS)('kysely repositories on %s', (kind) => {
  let handle: DatabaseHandle;
  let repos: Repositories;
  let store: Store;

  beforeAll(async () => {
    handle = await createTestDb(kind);
    repos = reposFor(handle.db);
    store = createKyselyStore(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const newTeam = (name = 'Team') => repos.teams.create({ key: unique('T'), name: `${name} ${seq}`, timeZone: 'Europe/London', policy: defaultPolicy(), channel: null });
  const newMember = (teamId: string, displayName: string) => repos.members.create({ teamId, displayName, roles: ['officer'] });

  describe('teams', () => {
    it('creates, finds by id, key, name (any case) and channel, lists and updates', async () => {
      const channel = { platform: 'teams' as const, workspaceId: 'tenant-1', channelId: unique('19:c'), ref: { serviceUrl: 'https://smba.example/' } };
      const team = await repos.teams.create({ key: unique('NORTH'), name: unique('North MOSOVO'), timeZone: 'Europe/London', policy: defaultPolicy(), channel, isDemo: true });
      expect(team).toMatchObject({ closures: [], channel, isDemo: true, policy: defaultPolicy() });
      expect(await repos.teams.findById(team.id)).toEqual(team);
      expect(await repos.teams.findByKey(team.key)).toEqual(team);
      expect(await repos.teams.findByName(team.name.toUpperCase())).toEqual([team]);
      expect(await repos.teams.findByName(`${team.name} x`)).toEqual([]);
      expect(await repos.teams.findByChannel('teams', 'tenant-1', channel.channelId)).toEqual(team);
      expect(await repos.teams.findByChannel('slack', 'tenant-1', channel.channelId)).toBeUndefined();
      expect((await repos.teams.list()).map((t) => t.id)).toContain(team.id);

      const policy = { ...defaultPolicy(), officerSupervisionWeeks: 6 };
      const updated = await repos.teams.update(team.id, { name: 'Renamed', timeZone: 'Europe/Belfast', policy, channel: null });
      expect(updated).toMatchObject({ name: 'Renamed', timeZone: 'Europe/Belfast', policy, channel: null, key: team.key });
      expect(await repos.teams.findById(team.id)).toEqual(updated);
      expect(await repos.teams.findByChannel('teams', 'tenant-1', channel.channelId)).toBeUndefined();
      expect(await repos.teams.findById('00000000-0000-0000-0000-000000000000')).toBeUndefined();
      await expect(repos.teams.update('00000000-0000-0000-0000-000000000000', { name: 'x' })).rejects.toMatchObject({ code: 'team_not_found' });
    });

    it('replaces closure days, keeping the reason of days that stay', async () => {
      const team = await newTeam();
      await repos.teams.setClosures(team.id, ['2026-12-24', '2026-06-01']);
      await handle.db.updateTable('team_closures').set({ reason: 'training' }).where('closed_on', '=', '2026-06-01').where('team_id', '=', team.id).execute();
      await repos.teams.setClosures(team.id, ['2026-06-01', '2026-08-14', '2026-08-14']);
      expect((await repos.teams.findById(team.id))?.closures).toEqual(['2026-06-01', '2026-08-14']);
      const kept = await handle.db.selectFrom('team_closures').select('reason').where('team_id', '=', team.id).where('closed_on', '=', '2026-06-01').executeTakeFirstOrThrow();
      expect(kept.reason).toBe('training');
      await repos.teams.setClosures(team.id, []);
      expect((await repos.teams.findById(team.id))?.closures).toEqual([]);
    });

    it('loads partial, older policy JSON over the defaults, and names the team when stored policy is invalid', async () => {
      const team = await repos.teams.create({ key: unique('P'), name: 'Policy', timeZone: 'Europe/London', policy: parsePolicy({ officerSupervisionWeeks: 8 }), channel: null });
      expect(team.policy).toEqual({ ...defaultPolicy(), officerSupervisionWeeks: 8 });
      await sql`update teams set policy = ${JSON.stringify({ intervals: { high: { visitMonths: 2 } }, retiredKey: true })}::jsonb where id = ${team.id}`.execute(handle.db);
      const loaded = await repos.teams.findById(team.id);
      const expected = defaultPolicy();
      expected.intervals.high.visitMonths = 2;
      expect(loaded?.policy).toEqual(expected);
      await sql`update teams set policy = '{"officerSupervisionWeeks": 99}'::jsonb where id = ${team.id}`.execute(handle.db);
      await expect(repos.teams.findById(team.id)).rejects.toThrow(new RegExp(`${team.key}.*officerSupervisionWeeks`));
      await sql`update teams set policy = '{}'::jsonb where id = ${team.id}`.execute(handle.db);
      expect((await repos.teams.findById(team.id))?.policy).toEqual(defaultPolicy());
    });
  });

  describe('members', () => {
    it('creates, finds, lists by name (active only unless asked) and updates', async () => {
      const team = await newTeam();
      const zoe = await newMember(team.id, 'Zoe');
      const amy = await repos.members.create({ teamId: team.id, displayName: 'Amy', roles: ['officer', 'supervisor'], supervisorMemberId: zoe.id });
      expect(amy).toEqual({ id: amy.id, teamId: team.id, displayName: 'Amy', roles: ['officer', 'supervisor'], supervisorMemberId: zoe.id, reminderTime: '08:30', timeZone: null, active: true, undeliverable: false });
      expect(await repos.members.findById(amy.id)).toEqual(amy);
      expect((await repos.members.listByTeam(team.id)).map((m) => m.displayName)).toEqual(['Amy', 'Zoe']);

      const changed = await repos.members.update(zoe.id, { displayName: 'Zoe B', roles: ['admin'], reminderTime: '07:45', timeZone: 'Europe/Dublin', active: false, supervisorMemberId: amy.id });
      expect(changed).toMatchObject({ displayName: 'Zoe B', roles: ['admin'], reminderTime: '07:45', timeZone: 'Europe/Dublin', active: false, supervisorMemberId: amy.id });
      expect((await repos.members.listByTeam(team.id)).map((m) => m.id)).toEqual([amy.id]);
      expect((await repos.members.listByTeam(team.id, { includeInactive: true })).map((m) => m.id)).toEqual([amy.id, zoe.id]);

      await handle.db.updateTable('members').set({ undeliverable_at: new Date() }).where('id', '=', amy.id).execute();
      expect((await repos.members.findById(amy.id))?.undeliverable).toBe(true);
      await expect(repos.members.update('00000000-0000-0000-0000-000000000000', { active: true })).rejects.toMatchObject({ code: 'member_not_found' });
    });

    it('upserts identities, keeping the first linked_at and stored values not given again', async () => {
      const team = await newTeam();
      const other = await newTeam();
      const ann = await newMember(team.id, 'Ann');
      const annElsewhere = await newMember(other.id, 'Ann');
      await repos.members.update(annElsewhere.id, { active: false });
      const user = { platform: 'slack' as const, workspaceId: 'T1', userId: unique('U') };

      const first = await repos.members.upsertIdentity(ann.id, team.id, { ...user, displayName: 'ann' }, false);
      expect(first).toMatchObject({ memberId: ann.id, teamId: team.id, ...user, displayName: 'ann', linked: false, conversationRef: null });
      const linked = await repos.members.upsertIdentity(ann.id, team.id, { ...user, conversationRef: { channel: 'D1' } }, true);
      expect(linked).toMatchObject({ id: first.id, displayName: 'ann', linked: true, conversationRef: { channel: 'D1' } });

      const firstLinkedAt = new Date('2026-01-01T09:00:00Z');
      await handle.db.updateTable('platform_identities').set({ linked_at: firstLinkedAt, last_seen_at: firstLinkedAt }).where('id', '=', first.id).execute();
      await repos.members.upsertIdentity(ann.id, team.id, { ...user, displayName: 'Ann A' }, true);
      await repos.members.upsertIdentity(ann.id, team.id, user, false);
      const row = await handle.db.selectFrom('platform_identities').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      expect(row.linked_at?.toISOString()).toBe(firstLinkedAt.toISOString());
      expect(row.last_seen_at!.getTime()).toBeGreaterThan(firstLinkedAt.getTime());
      expect(row).toMatchObject({ display_name: 'Ann A', conversation_ref: { channel: 'D1' } });

      await repos.members.upsertIdentity(annElsewhere.id, other.id, user, true);
      const found = await repos.members.findIdentities('slack', 'T1', user.userId);
      expect(found.map((i) => i.memberId).sort()).toEqual([ann.id, annElsewhere.id].sort());
      expect(await repos.members.findIdentities('teams', 'T1', user.userId)).toEqual([]);
      expect((await repos.members.identitiesOf(ann.id)).map((i) => i.id)).toEqual([first.id]);
    });
  });

  describe('cases', () => {
    it('creates with co-workers, finds by key, id and external ref, and updates', async () => {
      const team = await newTeam();
      const [lead, co1, co2] = [await newMember(team.id, 'Lead'), await newMember(team.id, 'Co 1'), await newMember(team.id, 'Co 2')];
      const key = unique('CW');
      const created = await repos.cases.create(caseData(team.id, key, { externalRef: 'PNC-1', leadOfficerId: lead.id, coworkerIds: [co1.id, co2.id], mappaCategory: 1, mappaLevel: 2 }));
      expect(created).toMatchObject({ key, teamId: team.id, externalRef: 'PNC-1', riskLevel: 'high', mappaLevel: 2, status: 'active', isDemo: false, createdOn: '2026-01-02', lastAssessmentOn: '2026-01-05', visitDueOn: null });
      expect([...created.coworkerIds].sort()).toEqual([co1.id, co2.id].sort());
      expect(await repos.cases.findByKey(key)).toEqual(created);
      expect(await repos.cases.findById(created.id)).toEqual(created);
      expect(await repos.cases.findByExternalRef(team.id, 'PNC-1')).toEqual(created);
      expect(await repos.cases.findByExternalRef(team.id, 'PNC-2')).toBeUndefined();
      expect(await repos.cases.keyExists(key)).toBe(true);
      expect(await repos.cases.keyExists(`${key}-nope`)).toBe(false);

      const before = await handle.db.selectFrom('cases').select('updated_at').where('id', '=', created.id).executeTakeFirstOrThrow();
      // Due dates are the case's open deadlines: the case reads them from there.
      await repos.deadlines.syncOpen({ teamId: team.id, kind: 'visit', subjectKey: `case:${created.id}:visit`, caseId: created.id, ownerMemberId: lead.id, dueOn: '2026-02-01' });
      await repos.deadlines.syncOpen({ teamId: team.id, kind: 'early_review', subjectKey: `case:${created.id}:early_review`, caseId: created.id, ownerMemberId: lead.id, dueOn: '2026-01-20' });
      const updated = await repos.cases.update(created.id, { riskLevel: 'very_high', planVisitIntervalMonths: 2, status: 'closed', coworkerIds: [co2.id] });
      expect(updated).toMatchObject({ riskLevel: 'very_high', visitDueOn: '2026-02-01', earlyReviewDueOn: '2026-01-20', assessmentReviewDueOn: null, planVisitIntervalMonths: 2, status: 'closed', coworkerIds: [co2.id], leadOfficerId: lead.id });
      const after = await handle.db.selectFrom('cases').select('updated_at').where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
      expect((await repos.cases.update(created.id, { lastVisitOn: '2026-01-10' })).coworkerIds).toEqual([co2.id]);
      expect((await repos.cases.update(created.id, { coworkerIds: [] })).coworkerIds).toEqual([]);
      await expect(repos.cases.update('00000000-0000-0000-0000-000000000000', { status: 'closed' })).rejects.toMatchObject({ code: 'case_not_found' });
    });

    it('lists by case key a page at a time with the total, filtering to "mine" (lead or co-worker) and by status', async () => {
      const team = await newTeam();
      const me = await newMember(team.id, 'Me');
      const other = await newMember(team.id, 'Other');
      const p = unique('L');
      for (let i = 5; i >= 1; i--) await repos.cases.create(caseData(team.id, `${p}-${i}`, { leadOfficerId: i % 2 === 1 ? me.id : other.id, coworkerIds: i === 2 ? [me.id] : [] }));
      const closed = await repos.cases.create(caseData(team.id, `${p}-6`, { leadOfficerId: other.id, coworkerIds: [me.id, other.id] }));
      await repos.cases.update(closed.id, { status: 'closed' });

      const page = await repos.cases.list(team.id, { offset: 2, limit: 2 });
      expect(page).toMatchObject({ total: 6 });
      expect(page.items.map((c) => c.key)).toEqual([`${p}-3`, `${p}-4`]);
      const mine = await repos.cases.list(team.id, { memberId: me.id, offset: 0, limit: 10 });
      expect(mine.items.map((c) => c.key)).toEqual([`${p}-1`, `${p}-2`, `${p}-3`, `${p}-5`, `${p}-6`]);
      expect(mine.total).toBe(5);
      const mineActive = await repos.cases.list(team.id, { memberId: me.id, offset: 3, limit: 10, status: 'active' });
      expect(mineActive).toMatchObject({ total: 4, items: [{ key: `${p}-5` }] });
      expect(await repos.cases.list(team.id, { status: 'closed', offset: 0, limit: 10 })).toMatchObject({ total: 1, items: [{ key: `${p}-6`, status: 'closed' }] });
      expect(await repos.cases.list(team.id, { offset: 50, limit: 10 })).toEqual({ items: [], total: 6 });
      expect((await repos.cases.listAll(team.id)).map((c) => c.key)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `${p}-${i}`));
    });

    it('records assessments and change events, and resolves the open ones', async () => {
      const team = await newTeam();
      const officer = await newMember(team.id, 'Officer');
      const c = await repos.cases.create(caseData(team.id, unique('A')));
      const ratings = { sexual_interests: 'present', emotional_congruence: 'absent' };
      const assessment = await repos.cases.addAssessment({ caseId: c.id, assessedOn: '2026-03-01', riskLevel: 'medium', factorVersion: 'ARMS-2', factorRatings: ratings, recordedBy: officer.id });
      expect(assessment).toEqual({ id: assessment.id, caseId: c.id, assessedOn: '2026-03-01', riskLevel: 'medium', factorVersion: 'ARMS-2', factorRatings: ratings, recordedBy: officer.id });
      const bare = await repos.cases.addAssessment({ caseId: c.id, assessedOn: '2026-03-02', riskLevel: 'low', factorVersion: null, factorRatings: null, recordedBy: null });
      expect(bare.factorRatings).toBeNull();

      const later = await repos.cases.addChangeEvent({ caseId: c.id, kind: 'address', urgency: 'standard', reportedOn: '2026-03-10', source: 'manual', reportedBy: officer.id });
      const earlier = await repos.cases.addChangeEvent({ caseId: c.id, kind: 'breach', urgency: 'urgent', reportedOn: '2026-03-05', source: 'import', reportedBy: null, visitId: null });
      expect(later).toEqual({ id: later.id, caseId: c.id, kind: 'address', urgency: 'standard', reportedOn: '2026-03-10', source: 'manual', resolvedByAssessmentId: null });
      expect((await repos.cases.openChangeEvents(c.id)).map((e) => e.id)).toEqual([earlier.id, later.id]);
      expect(await repos.cases.resolveChangeEvents(c.id, assessment.id)).toBe(2);
      expect(await repos.cases.openChangeEvents(c.id)).toEqual([]);
      expect(await repos.cases.resolveChangeEvents(c.id, assessment.id)).toBe(0);
      const stored = await handle.db.selectFrom('change_events').select(['resolved_by_assessment_id', 'reported_by']).where('id', '=', later.id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ resolved_by_assessment_id: assessment.id, reported_by: officer.id });
    });
  });

  describe('deadlines', () => {
    it('creates, moves, cancels and meets the one open deadline of a subject', async () => {
      const team = await newTeam();
      const [a, b] = [await newMember(team.id, 'A'), await newMember(team.id, 'B')];
      const c = await repos.cases.create(caseData(team.id, unique('D')));
      const subjectKey = `visit:${c.id}`;
      const sync = (dueOn: string | null, ownerMemberId = a.id, urgent?: boolean) =>
        repos.deadlines.syncOpen({ teamId: team.id, kind: 'visit', subjectKey, caseId: c.id, ownerMemberId, dueOn, ...(urgent === undefined ? {} : { urgent }) });
      const rows = () => handle.db.selectFrom('deadlines').selectAll().where('subject_key', '=', subjectKey).orderBy('created_at').orderBy('id').execute();

      await sync('2026-05-01');
      const [open] = await repos.deadlines.listOpenForCase(c.id);
      expect(open).toEqual({ id: open!.id, teamId: team.id, kind: 'visit', subjectKey, caseId: c.id, ownerMemberId: a.id, dueOn: '2026-05-01', urgent: false, status: 'open' });

      const stamp = (await rows())[0]!.updated_at;
      await sync('2026-05-01');
      expect((await rows())[0]!.updated_at).toEqual(stamp);

      await handle.db.updateTable('deadlines').set({ snoozed_until: '2026-04-28' }).where('id', '=', open!.id).execute();
      await sync('2026-05-08', b.id, true);
      expect(await rows()).toMatchObject([{ id: open!.id, due_on: '2026-05-08', owner_member_id: b.id, urgent: true, snoozed_until: '2026-04-28' }]);
      await sync('2026-04-20', b.id, true);
      expect(await rows()).toMatchObject([{ id: open!.id, due_on: '2026-04-20', snoozed_until: null }]);

      await sync(null);
      expect(await rows()).toMatchObject([{ id: open!.id, status: 'cancelled' }]);
      expect(await repos.deadlines.listOpenForCase(c.id)).toEqual([]);
      await sync(null);

      await sync('2026-06-01');
      await repos.deadlines.markMet(subjectKey, new Date('2026-05-30T10:00:00Z'));
      const all = await rows();
      expect(all).toHaveLength(2);
      expect(all[1]).toMatchObject({ status: 'met', due_on: '2026-06-01', met_at: new Date('2026-05-30T10:00:00Z') });
      expect(await repos.deadlines.listOpenForCase(c.id)).toEqual([]);
    });

    it('leaves exactly one open row when concurrent transactions sync the same subject', async () => {
      const team = await newTeam();
      const c = await repos.cases.create(caseData(team.id, unique('R')));
      const subjectKey = `assessment_review:${c.id}`;
      const callers = 5;
      let arrived = 0;
      let open!: () => void;
      const allOpen = new Promise<void>((resolve) => (open = resolve));
      const dueDates = Array.from({ length: callers }, (_, i) => `2026-07-0${i + 1}`);
      await Promise.all(
        dueDates.map((dueOn) =>
          store.transaction(async (trx) => {
            await trx.cases.findById(c.id);
            // On PostgreSQL, every transaction is open before any writes; PGlite runs them one at a time.
            if (kind === 'postgres') {
              if (++arrived === callers) open();
              await allOpen;
            }
            await trx.deadlines.syncOpen({ teamId: team.id, kind: 'assessment_review', subjectKey, caseId: c.id, ownerMemberId: null, dueOn });
          }),
        ),
      );
      const openRows = await repos.deadlines.listOpenForCase(c.id);
      expect(openRows).toHaveLength(1);
      expect(dueDates).toContain(openRows[0]!.dueOn);
      const count = await handle.db.selectFrom('deadlines').select((eb) => eb.fn.countAll<number>().as('n')).where('subject_key', '=', subjectKey).executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    });
  });

  describe('audit log', () => {
    it('records rows with actor, before/after and reason, read back per case in order', async () => {
      const team = await newTeam();
      const m = await newMember(team.id, 'Auditor');
      const c = await repos.cases.create(caseData(team.id, unique('AU')));
      const actor = { teamId: team.id, memberId: m.id, label: 'slack:T1/U1' };
      await store.transaction(async (trx) => {
        await trx.audit.record(actor, { action: 'case.updated', entityType: 'case', entityId: c.id, caseId: c.id, before: { riskLevel: 'high' }, after: { riskLevel: 'low', tags: ['a'] } });
        await trx.audit.record(actor, { action: 'case.viewed', entityType: 'case', entityId: c.id, caseId: c.id, reason: 'supervision' });
      });
      await repos.audit.record({ teamId: null, memberId: null, label: 'system' }, { action: 'team.viewed', entityType: 'team', entityId: team.id });
      const records = await repos.audit.forCase(c.id);
      expect(records.map((r) => r.action)).toEqual(['case.updated', 'case.viewed']);
      expect(records[0]).toMatchObject({ teamId: team.id, actorMemberId: m.id, actorLabel: 'slack:T1/U1', entityType: 'case', entityId: c.id, caseId: c.id, before: { riskLevel: 'high' }, after: { riskLevel: 'low', tags: ['a'] }, reason: null });
      expect(records[1]).toMatchObject({ before: null, after: null, reason: 'supervision' });
      expect(typeof records[0]!.id).toBe('string');
      expect(records[0]!.at).toBeInstanceOf(Date);
    });

    it('keeps neither the change nor its audit row when the transaction fails', async () => {
      const team = await newTeam();
      const c = await repos.cases.create(caseData(team.id, unique('TX')));
      const work = store.transaction(async (trx) => {
        await trx.cases.update(c.id, { riskLevel: 'low' });
        await trx.audit.record({ teamId: team.id, memberId: null, label: 'cli:root' }, { action: 'case.updated', entityType: 'case', entityId: c.id, caseId: c.id });
        throw new Error('boom');
      });
      await expect(work).rejects.toThrow('boom');
      expect(await repos.audit.forCase(c.id)).toEqual([]);
      expect((await repos.cases.findById(c.id))?.riskLevel).toBe('high');
      const result = await store.transaction(async (trx) => {
        await trx.audit.record({ teamId: team.id, memberId: null, label: 'cli:root' }, { action: 'case.viewed', entityType: 'case', entityId: c.id, caseId: c.id });
        return 'done';
      });
      expect(result).toBe('done');
      expect(await repos.audit.forCase(c.id)).toHaveLength(1);
    });
  });
});
