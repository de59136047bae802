/**
 * The records of case discussions and supervision as the core sees them, and the repository
 * ports that store them (implemented in src/db). Kept beside the feature rather than in
 * ports.ts so the feature's vocabulary lives in one place; `Repositories` refers to them.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Platform, PlatformUser } from '../interaction.ts';
import type { MessageRef } from '../ports.ts';
import type { FileOffer } from '../effects/effect.ts';

/** Where a discussion stands. */
export type DiscussionStatus = 'open' | 'awaiting_decision' | 'decided' | 'closed';

/** Labels for discussion statuses. */
export const discussionStatusLabels: Record<DiscussionStatus, string> = {
  open: 'Open',
  awaiting_decision: 'Awaiting decision',
  decided: 'Decided',
  closed: 'Closed',
};

/** A thread in the team's channel about one case and one question. */
export interface Discussion {
  id: string;
  teamId: string;
  caseId: string;
  question: string;
  status: DiscussionStatus;
  openedBy: string | null;
  openedAt: Date;
  platform: Platform | null;
  /** Slack channel id; Teams channel id (without `;messageid=`). */
  channelId: string | null;
  /** Slack root `ts`; Teams root message id. */
  threadRef: string | null;
  /** The root message as the notifier returned it, to reply under and update. */
  rootRef: MessageRef | null;
  closedBy: string | null;
  closedAt: Date | null;
  closingSummary: string | null;
}

/** An open discussion with what a list shows and filters by. */
export interface OpenDiscussion {
  discussion: Discussion;
  case: { key: string; teamId: string; leadOfficerId: string | null; coworkerIds: string[]; supervisorId: string | null };
  /** The day it was opened, in the team's calendar. */
  openedOn: IsoDate;
}

/** One reply in a discussion's thread, as last seen. */
export interface DiscussionMessage {
  id: string;
  discussionId: string;
  platformMessageId: string;
  authorMemberId: string | null;
  authorPlatformUserId: string;
  body: string;
  postedAt: Date;
  personalDataFlags: string[];
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** An earlier state of a reply: the text it had before an edit or a deletion. */
export interface MessageRevision {
  id: string;
  messageId: string;
  change: 'edit' | 'delete';
  previousBody: string;
  changedAt: Date;
}

/** The written parts of a supervision note. */
export interface NoteContent {
  question: string;
  riskView: string;
  optionsConsidered: string;
  decision: string;
  rationale: string;
  dissent: string;
  nextReviewOn: IsoDate | null;
}

/** A supervisor's note on a case: a draft until signed, then locked; later changes are addenda. */
export interface SupervisionNote extends NoteContent {
  id: string;
  caseId: string;
  discussionId: string | null;
  addendumToNoteId: string | null;
  authorId: string;
  status: 'draft' | 'signed';
  contentSha256: string | null;
  signedAt: Date | null;
  createdAt: Date;
}

/** An action set in supervision, with its owner and due date. */
export interface SupervisionAction {
  id: string;
  noteId: string | null;
  sessionId: string | null;
  ownerMemberId: string;
  dueOn: IsoDate;
  description: string;
  status: 'open' | 'done' | 'cancelled';
  /** When it was marked done, and by whom (member id), where known. */
  doneAt?: Date | null;
  doneBy?: string | null;
}

/** Data for an action. */
export type NewSupervisionAction = Pick<SupervisionAction, 'ownerMemberId' | 'dueOn' | 'description'>;

/** A one-to-one supervision session between a supervisor and an officer. */
export interface SupervisionSession {
  id: string;
  teamId: string;
  supervisorId: string;
  officerId: string;
  heldOn: IsoDate;
  casesReviewed: string[];
  workload: string;
  /** Personal: shown only to the officer and their supervisors, never posted to a channel. */
  wellbeing: string;
  development: string;
  nextSessionOn: IsoDate | null;
  createdAt: Date;
}

/** Data for a new discussion. */
export interface NewDiscussion {
  teamId: string;
  caseId: string;
  question: string;
  openedBy: string;
  openedAt: Date;
}

/** Data for a reply seen for the first time. */
export interface NewDiscussionMessage {
  discussionId: string;
  platformMessageId: string;
  authorMemberId: string;
  authorPlatformUserId: string;
  body: string;
  postedAt: Date;
  personalDataFlags: string[];
}

/** Discussions, their replies, the replies' history and refused replies. */
export interface DiscussionRepository {
  create(data: NewDiscussion): Promise<Discussion>;
  findById(id: string): Promise<Discussion | undefined>;
  findByThread(platform: Platform, channelId: string, threadRef: string): Promise<Discussion | undefined>;
  setThread(id: string, thread: { platform: Platform; channelId: string; threadRef: string; rootRef: MessageRef }): Promise<void>;
  setStatus(id: string, status: DiscussionStatus, closing?: { closedBy: string; closedAt: Date; summary: string }): Promise<Discussion>;
  listForCase(caseId: string): Promise<Discussion[]>;
  /** A team's discussions that are not closed, with their case's key and people, longest open first. */
  listOpenForTeam(teamId: string): Promise<OpenDiscussion[]>;
  /** Stores a reply once; undefined when a reply with this platform id is already stored. */
  addMessage(data: NewDiscussionMessage): Promise<DiscussionMessage | undefined>;
  findMessage(discussionId: string, platformMessageId: string): Promise<DiscussionMessage | undefined>;
  /**
   * Applies an edit (new text) or a deletion (null) and keeps the previous text as a revision.
   * False, and nothing changed, when `eventKey` was applied before (a retried event).
   */
  reviseMessage(messageId: string, change: { body: string | null; at: Date; eventKey: string; personalDataFlags: string[] }): Promise<boolean>;
  messages(discussionId: string): Promise<DiscussionMessage[]>;
  revisions(discussionId: string): Promise<MessageRevision[]>;
  /** Notes a reply that was not recorded (author not on the roster); false if noted before. */
  noteRefusedReply(discussionId: string, platformMessageId: string, platformUserId: string, at: Date): Promise<boolean>;
}

/** Supervision notes, their actions, and officer supervision sessions. */
export interface SupervisionRepository {
  createNote(data: NoteContent & { caseId: string; discussionId: string | null; addendumToNoteId: string | null; authorId: string }): Promise<SupervisionNote>;
  /** Changes a draft; signed notes are refused by the database as well. */
  updateDraft(id: string, content: NoteContent): Promise<SupervisionNote>;
  sign(id: string, at: Date, sha256: string): Promise<SupervisionNote>;
  findNote(id: string): Promise<SupervisionNote | undefined>;
  notesForCase(caseId: string): Promise<SupervisionNote[]>;
  notesForDiscussion(discussionId: string): Promise<SupervisionNote[]>;
  /** Replaces a draft's or session's actions with these. */
  setActions(owner: { noteId: string } | { sessionId: string }, actions: NewSupervisionAction[]): Promise<SupervisionAction[]>;
  actionsForNotes(noteIds: string[]): Promise<SupervisionAction[]>;
  /** Marks an open action done; undefined when there is no such open action. */
  completeAction(actionId: string, doneBy: string, at: Date): Promise<SupervisionAction | undefined>;
  createSession(data: Omit<SupervisionSession, 'id' | 'createdAt'>): Promise<SupervisionSession>;
  sessionsForOfficer(officerId: string): Promise<SupervisionSession[]>;
}

/** A visit as the case record shows it. */
export interface RecordVisit {
  id: string;
  /** The first version of this visit; null on the first version itself. */
  originalVisitId: string | null;
  visitedAt: Date;
  visitedOn: IsoDate;
  visitType: string;
  outcome: string;
  version: number;
  amendsVisitId: string | null;
  nextVisitOn: IsoDate | null;
  recordedBy: string | null;
  recordedAt: Date;
  /** The form's answers as stored (the visit form's values). */
  answers: Record<string, unknown>;
}

/** An assessment as the case record shows it. */
export interface RecordAssessment {
  id: string;
  assessedOn: IsoDate;
  riskLevel: string;
  factorVersion: string | null;
  factorRatings: Record<string, unknown> | null;
  recordedBy: string | null;
  recordedAt: Date;
  managementMode: string | null;
}

/** A significant change as the case record shows it. */
export interface RecordChange {
  id: string;
  kind: string;
  urgency: string;
  reportedOn: IsoDate;
  source: string;
  reportedBy: string | null;
  createdAt: Date;
}

/** Reads what the case record holds beyond discussions: visits and change events. */
export interface CaseHistoryReader {
  visits(caseId: string): Promise<RecordVisit[]>;
  changes(caseId: string): Promise<RecordChange[]>;
  assessments(caseId: string): Promise<RecordAssessment[]>;
  /** Officer supervision sessions that ticked this case off as reviewed. */
  sessionsReviewing(caseId: string): Promise<SupervisionSession[]>;
}

/** A file to hand to a person privately (a record export). */
export interface PrivateFile {
  filename: string;
  title: string;
  content: Buffer;
  /** A line of text shown with the file. */
  comment: string;
  /**
   * Set when the file is a case record (Markdown with its hash footer): the platform delivers the
   * PDF drawn from it as well, under this name, so the person gets both.
   */
  recordPdf?: { filename: string; title: string };
  /**
   * Set when the person is first asked whether to accept the file (Teams' file-consent card): the
   * opaque id their answer carries back. The content is then used only to state the file's size.
   */
  offer?: FileOffer;
}

/**
 * Delivers a file privately to a platform user (Slack: an upload into their direct messages).
 * Optional: where a platform has none, the core sends the text inline through the Notifier.
 */
export interface FileDelivery {
  /** True when this file can go this way (Teams: only a file offered with a consent card). */
  supports(platform: Platform, file?: Pick<PrivateFile, 'offer'>): boolean;
  /** `user.conversationRef` is their private chat where the platform needs one (Teams). */
  sendToUser(user: PlatformUser & { conversationRef?: Record<string, unknown> | null }, file: PrivateFile): Promise<void>;
}
