// `run --baseline FILE`: the golden-image baseline, read as every input file is (a regular file
// within the size cap, judged by its open descriptor) and held to its schema. Every problem is one
// UsageError line naming the file and where, never quoting its content.
import { Value } from '@sinclair/typebox/value';
import { UsageError } from '../errors';
import { readRegularFile } from '../input/regular-file';
import { BASELINE_SCHEMA_VERSION, BaselineSchema, type Baseline } from './schema';

const FLAG = '--baseline';
const KIND = 'a baseline (batch-preflight baseline capture)';

/** A JSON pointer with each key that is not a plain name shown as `?`: keys are the file's content too. */
const keyPath = (pointer: string) => '/' + pointer.split('/').slice(1).map((k) => (/^[A-Za-z0-9:._+-]{1,64}$/.test(k) ? k : '?')).join('/');

export function loadBaseline(file: string): Baseline {
  const text = readRegularFile(FLAG, file, KIND);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`${FLAG} ${file}: not valid JSON; not ${KIND}`);
  }
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${FLAG} ${file}: not a JSON object; not ${KIND}`);
  if (version !== BASELINE_SCHEMA_VERSION) {
    throw new UsageError(`${FLAG} ${file}: schemaVersion ${typeof version === 'number' ? version : 'missing'}, this version of batch-preflight reads ${BASELINE_SCHEMA_VERSION}; capture it again`);
  }
  const first = Value.Errors(BaselineSchema, doc).First();
  // The path names the key (an odd one as `?`); the message is TypeBox's own words, never the value.
  if (first) throw new UsageError(`${FLAG} ${file}: ${keyPath(first.path)}: ${first.message.toLowerCase()}`);
  const baseline = doc as Baseline;
  // A misspelt fact in the severity section would silently keep its default.
  const stray = Object.keys(baseline.severity ?? {}).find((f) => !(f in baseline.facts));
  if (stray) throw new UsageError(`${FLAG} ${file}: /severity/${stray}: not a fact of this baseline (see its "facts")`);
  return baseline;
}
