// `nft -j list ruleset` output: tables, chains (hooks, priorities, policies), rules (expressions
// kept as JSON for the evaluator to read) and named sets with their elements.
import { ParseError, positionOf } from './parse-error';
import { messageOf } from '../errors';

export interface NftChain {
  family: string;
  table: string;
  name: string;
  /** Base chains only. */
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
}

export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle?: number;
  expr: unknown[];
}

export interface NftSet {
  family: string;
  table: string;
  name: string;
  elem: unknown[];
}

export interface NftRuleset {
  version: string | null;
  tables: { family: string; name: string }[];
  chains: NftChain[];
  rules: NftRule[];
  sets: NftSet[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ParseError(`${what} has no string "${key}"`);
  return v;
}

function optStr(o: Obj, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ParseError(`${what} "${key}" is not a string`);
  return v;
}

export function parseNftJson(text: string): NftRuleset {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // JSON.parse's message quotes the input (Node 20: `"..." is not valid JSON`); only its position is kept.
    const at = /at position (\d+)/.exec(messageOf(err));
    if (!at) throw new ParseError('not JSON');
    const { line, column } = positionOf(text, Number(at[1]));
    throw new ParseError('not JSON', line, column);
  }
  if (!isObj(doc) || !Array.isArray(doc.nftables)) throw new ParseError('no "nftables" array at the top level');
  const out: NftRuleset = { version: null, tables: [], chains: [], rules: [], sets: [] };
  doc.nftables.forEach((item, i) => {
    if (!isObj(item)) throw new ParseError(`item ${i} is not an object`);
    const [kind, body] = Object.entries(item)[0] ?? [];
    if (!kind || !isObj(body)) throw new ParseError(`item ${i} is not a {kind: {...}} object`);
    const what = `${kind} ${i}`;
    switch (kind) {
      case 'metainfo':
        out.version = typeof body.version === 'string' ? body.version : null;
        break;
      case 'table':
        out.tables.push({ family: str(body, 'family', what), name: str(body, 'name', what) });
        break;
      case 'chain': {
        const prio = body.prio;
        if (prio !== undefined && typeof prio !== 'number') throw new ParseError(`${what} "prio" is not a number`);
        out.chains.push({
          family: str(body, 'family', what),
          table: str(body, 'table', what),
          name: str(body, 'name', what),
          type: optStr(body, 'type', what),
          hook: optStr(body, 'hook', what),
          prio,
          policy: optStr(body, 'policy', what),
        });
        break;
      }
      case 'rule': {
        if (!Array.isArray(body.expr)) throw new ParseError(`${what} has no "expr" array`);
        out.rules.push({
          family: str(body, 'family', what),
          table: str(body, 'table', what),
          chain: str(body, 'chain', what),
          handle: typeof body.handle === 'number' ? body.handle : undefined,
          expr: body.expr,
        });
        break;
      }
      case 'set':
      case 'map': {
        const elem = body.elem ?? [];
        if (!Array.isArray(elem)) throw new ParseError(`${what} "elem" is not an array`);
        out.sets.push({ family: str(body, 'family', what), table: str(body, 'table', what), name: str(body, 'name', what), elem });
        break;
      }
      default:
      // Flowtables, counters, quotas, ct helpers...: nothing that filters by itself.
    }
  });
  return out;
}
