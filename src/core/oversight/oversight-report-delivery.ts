/**
 * The oversight report handed to a supervisor in chat: built as of the period's last day,
 * written in the asked-for format, audited as a disclosure, and delivered privately through the
 * `file` effect (a Slack upload; elsewhere a message with the team's figures instead).
 */
import type { Actor } from '../access/permissions.ts';
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { EffectHandle, Effects } from '../effects/effect.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { audit, type CoreRequest } from '../services.ts';
import { formatDate } from '../views/format.ts';
import type { MessageView } from '../views/message-view.ts';
import { coveragePct, protectivePct, reviewsOnTimePct, visitsOnTimePct } from './oversight-figures.ts';
import { buildOversightReport, reportFilename, reportMarkdown, type OversightReport, type ReportFormat } from './oversight-report.ts';
import { OVERSIGHT_ACTIONS } from './oversight-views.ts';

/** The most officers the message version of the report names, one line each. */
const OFFICER_LINES = 20;

const shown = (pct: number | null) => (pct === null ? '—' : `${pct}%`);

/** The report as a message, for platforms where Casework cannot hand over a file. */
export function reportMessageView(report: OversightReport): MessageView {
  const t = report.team.counts;
  const lines = report.officers
    .slice(0, OFFICER_LINES)
    .map((r) => `${r.officer}: visits on time ${shown(visitsOnTimePct(r.counts))}, reviews on time ${shown(reviewsOnTimePct(r.counts))}, coverage ${shown(coveragePct(r.counts))}, strengths ${shown(protectivePct(r.counts))}`);
  if (report.officers.length > OFFICER_LINES) lines.push(`…and ${report.officers.length - OFFICER_LINES} more: type overview for every officer.`);
  return {
    kind: 'oversight-report',
    title: `Oversight report: ${report.teamName}`,
    subtitle: `${formatDate(report.from)} to ${formatDate(report.to)}`,
    paragraphs: ['Files cannot be sent to you here, so these are the report\'s headline figures. Ask your team admin for the PDF with its charts (casework report oversight).'],
    facts: [
      { label: 'Visits on time', value: `${shown(visitsOnTimePct(t))} (${t.visitsOnTime} of ${t.visitsDue})` },
      { label: 'Reviews on time', value: `${shown(reviewsOnTimePct(t))} (${t.reviewsOnTime} of ${t.reviewsDue})` },
      { label: 'Supervision coverage', value: `${shown(coveragePct(t))} (${t.coveredCases} of ${t.openCases})` },
      { label: 'Protective-factor share', value: `${shown(protectivePct(t))} (${t.strengthVisits} of ${t.seenVisits})` },
      { label: 'Overdue now', value: `visits ${t.overdueVisits} · reviews ${t.overdueReviews} · MAPPA ${t.overdueMappa} · supervision actions ${t.overdueActions}` },
    ],
    sections: lines.length ? [{ heading: 'By officer', text: lines.join('\n') }] : [],
    actions: [{ id: OVERSIGHT_ACTIONS.page, label: 'Team overview', value: {} }],
  };
}

/**
 * Builds, audits and hands over the report inside the caller's unit of work. Returns the effect
 * handle so the answer can say where the report went.
 */
export async function prepareReport(
  req: CoreRequest,
  repos: Repositories,
  actor: Actor,
  effects: Effects,
  request: { from: IsoDate; to: IsoDate; format: ReportFormat },
): Promise<{ report: OversightReport; format: ReportFormat; handle: EffectHandle }> {
  const report = await buildOversightReport(repos, actor.team, request, req.services.clock.now());
  // Without a writer (no renderers wired in), the Markdown the core writes itself.
  const format = req.services.reports ? request.format : 'md';
  const bytes = req.services.reports ? await req.services.reports.write(report, format) : Buffer.from(reportMarkdown(report), 'utf8');
  await audit(repos, actor, { action: 'oversight.reported', entityType: 'team', entityId: actor.team.id, after: { from: report.from, to: report.to, format, officers: report.officers.length } });
  const handle = effects.add(
    {
      kind: 'file',
      memberId: actor.member.id,
      platform: req.ctx.user.platform,
      file: {
        filename: reportFilename(report, format),
        title: `Oversight report ${report.teamName}`,
        contentBase64: bytes.toString('base64'),
        comment: `Oversight report for ${report.teamName}, ${formatDate(report.from)} to ${formatDate(report.to)}.`,
      },
      fallback: reportMessageView(report),
    },
    { await: true },
  );
  return { report, format, handle };
}

/** What the supervisor is told once delivery has been tried. */
export function reportSentReply(prepared: { report: OversightReport; format: ReportFormat; handle: EffectHandle }): Reply {
  const outcome = prepared.handle.outcome;
  const asFile = outcome?.status === 'sent' && outcome.ref === null;
  const failed = outcome?.status === 'failed' || outcome?.status === 'dropped';
  const text = failed
    ? 'Casework could not reach your private chat. Message Casework directly once, then ask again.'
    : asFile
      ? `The ${prepared.format.toUpperCase()} file is in your direct messages with Casework.`
      : outcome?.status === 'sent'
        ? "The report's figures are in your private chat with Casework."
        : 'The report is on its way to your private chat with Casework.';
  return {
    type: 'message',
    view: {
      kind: 'oversight-report-sent',
      title: 'Oversight report',
      notice: { tone: failed ? 'warning' : 'info', text },
      facts: [{ label: 'Period', value: `${formatDate(prepared.report.from)} to ${formatDate(prepared.report.to)}` }],
    },
  };
}
