// One node's report reduced to what the fleet summary needs, so that whole reports are not kept.
// Pure: takes the parsed JSON (of unknown shape) and never throws.
import { CATEGORIES, STATUSES, type Category, type Status } from '../types';
import { SCHEMA_VERSION } from '../report/report';

const READABLE_SCHEMA_VERSIONS: readonly number[] = [2, SCHEMA_VERSION];

export interface CheckDigest {
  id: string;
  title?: string;
  status: Status;
  message?: string;
  /** Who must act on a fail or error, as the node's report says. */
  category?: Category;
}

export interface NodeDigest {
  /** Batch node id, else hostname, else the file the report came from. */
  node: string;
  source: string;
  checks: CheckDigest[];
  /** `summary.ok` as the node's agent wrote it; undefined when absent. */
  ok?: boolean;
  /** Why the report is incomplete or unusable; empty for a whole report. */
  problems: string[];
  /** Owner (uid) of the file it was read from, by fstat: 0 when root wrote it. */
  owner?: number;
  /** When the run started (ms since the epoch), to keep a node's newest report; absent when the report does not say. */
  startedAtMs?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function nodeName(report: Record<string, unknown>, source: string): string {
  const batch = report.batch;
  if (isObject(batch) && nonEmptyString(batch.nodeId)) return batch.nodeId;
  const host = report.host;
  if (isObject(host) && nonEmptyString(host.hostname)) return host.hostname;
  return source;
}

/** A report that could not be read or parsed at all: the node is known only by its file. */
export function unreadable(source: string, reason: string): NodeDigest {
  return { node: source, source, checks: [], problems: [reason] };
}

export function digestReport(source: string, report: unknown): NodeDigest {
  if (!isObject(report)) return unreadable(source, `not a report: the JSON is ${Array.isArray(report) ? 'an array' : report === null ? 'null' : `a ${typeof report}`}, not an object`);
  const d: NodeDigest = { node: nodeName(report, source), source, checks: [], problems: [] };
  const started = typeof report.startedAt === 'string' ? Date.parse(report.startedAt) : NaN;
  if (Number.isFinite(started)) d.startedAtMs = started;
  const tool = report.tool;
  if (!isObject(tool) || tool.name !== 'batch-preflight') d.problems.push('not a batch-preflight report (tool.name is missing or different)');
  // Version 2 differs from 3 only in what the summary reads past (skip kinds, summary.strict): a
  // fleet half-way through an upgrade is summarised whole.
  if (!READABLE_SCHEMA_VERSIONS.includes(report.schemaVersion as number)) {
    d.problems.push(`schemaVersion is ${JSON.stringify(report.schemaVersion) ?? 'missing'}, expected ${READABLE_SCHEMA_VERSIONS.join(' or ')}`);
  }

  const summary = report.summary;
  if (isObject(summary) && typeof summary.ok === 'boolean') d.ok = summary.ok;
  else d.problems.push('summary.ok is missing');

  if (!Array.isArray(report.checks)) {
    d.problems.push('checks is missing or not a list');
    return d;
  }
  let bad = 0;
  for (const c of report.checks as unknown[]) {
    if (!isObject(c) || !nonEmptyString(c.id) || !(STATUSES as readonly unknown[]).includes(c.status)) {
      bad++;
      continue;
    }
    const cd: CheckDigest = { id: c.id, status: c.status as Status };
    if (nonEmptyString(c.title)) cd.title = c.title;
    if ((cd.status === 'fail' || cd.status === 'error') && nonEmptyString(c.message)) cd.message = c.message;
    if ((cd.status === 'fail' || cd.status === 'error') && (CATEGORIES as readonly unknown[]).includes(c.category)) cd.category = c.category as Category;
    d.checks.push(cd);
  }
  if (bad > 0) d.problems.push(`${bad} check entr${bad === 1 ? 'y has' : 'ies have'} no id or no valid status`);
  return d;
}
