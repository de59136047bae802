/**
 * A signed supervision note as evidence: the canonical content its SHA-256 is taken over (so the
 * hash can be checked again from the record at any time), and the card posted into the thread.
 */
import { createHash } from 'node:crypto';
import { formatDate, formatDateTime } from '../views/format.ts';
import type { MessageView, SectionView } from '../views/message-view.ts';
import type { SupervisionAction, SupervisionNote } from '../discussions/discussion-ports.ts';

/** The text a note's hash covers: every written part, its actions, author, links and signing time. */
export function canonicalNote(note: Omit<SupervisionNote, 'contentSha256' | 'status' | 'createdAt'>, actions: readonly SupervisionAction[], signedAt: Date): string {
  return JSON.stringify({
    noteId: note.id,
    caseId: note.caseId,
    discussionId: note.discussionId,
    addendumToNoteId: note.addendumToNoteId,
    authorId: note.authorId,
    question: note.question,
    riskView: note.riskView,
    optionsConsidered: note.optionsConsidered,
    decision: note.decision,
    rationale: note.rationale,
    dissent: note.dissent,
    nextReviewOn: note.nextReviewOn,
    actions: actions.map((a) => ({ id: a.id, ownerMemberId: a.ownerMemberId, dueOn: a.dueOn, description: a.description })),
    signedAt: signedAt.toISOString(),
  });
}

/** SHA-256 (hex) of a note's canonical content. */
export function noteContentHash(note: Omit<SupervisionNote, 'contentSha256' | 'status' | 'createdAt'>, actions: readonly SupervisionAction[], signedAt: Date): string {
  return createHash('sha256').update(canonicalNote(note, actions, signedAt)).digest('hex');
}

/** Names for members, looked up by the caller. */
export type NameOf = (memberId: string | null) => string;

/** The parts of a note as titled sections, skipping parts left empty. */
export function noteSections(note: SupervisionNote, actions: readonly SupervisionAction[], nameOf: NameOf): SectionView[] {
  const parts: [string, string][] = [
    ['Question', note.question],
    ['Current view of risk', note.riskView],
    ['Options considered', note.optionsConsidered],
    ['Decision', note.decision],
    ['Rationale', note.rationale],
    ['Dissent', note.dissent],
  ];
  const sections: SectionView[] = parts.filter(([, text]) => text.trim() !== '').map(([heading, text]) => ({ heading, text }));
  if (actions.length) {
    sections.push({
      heading: 'Actions',
      facts: actions.map((a, i) => ({ label: `${i + 1}. ${nameOf(a.ownerMemberId)}, due ${formatDate(a.dueOn)}`, value: a.description })),
    });
  }
  return sections;
}

/** The card for a signed note (or addendum), posted into the discussion's thread. */
export function signedNoteView(note: SupervisionNote, actions: readonly SupervisionAction[], caseKey: string, nameOf: NameOf, zone: string): MessageView {
  return {
    kind: 'supervision-note',
    title: note.addendumToNoteId ? `Addendum to supervision note: ${caseKey}` : `Supervision note: ${caseKey}`,
    subtitle: 'Signed and locked',
    facts: [
      { label: 'Signed by', value: nameOf(note.authorId) },
      { label: 'Signed', value: note.signedAt ? formatDateTime(note.signedAt, zone) : '—' },
      { label: 'Next review', value: formatDate(note.nextReviewOn) },
    ],
    sections: noteSections(note, actions, nameOf),
    // The hash belongs to the exported record, not to the team's channel.
    footer: 'Signed notes are locked: later changes are added as addenda, and the full record holds them all.',
    shared: true,
  };
}
