// `--output` may repeat: `FORMAT=PATH` writes that rendering of the report to PATH; a plain PATH
// (the older form) takes the `--format` output off stdout and writes it there instead.
import path from 'node:path';
import { FORMATS, type Format } from '../report/render';
import { UsageError } from '../errors';

export interface OutputFile {
  format: Format;
  path: string;
}

export interface OutputPlan {
  files: OutputFile[];
  /** False when a plain `--output FILE` took the `--format` output off stdout. */
  stdout: boolean;
}

const FORMAT_PREFIX = /^([A-Za-z0-9_-]+)=(.*)$/s;

/** Reads the `--output` values; every mistake is a usage error, before anything runs. */
export function planOutputs(values: readonly string[], format: Format): OutputPlan {
  const files: OutputFile[] = [];
  let plain = 0;
  for (const value of values) {
    const m = FORMAT_PREFIX.exec(value);
    if (m) {
      const [, name, file] = m as unknown as [string, string, string];
      if (!(FORMATS as readonly string[]).includes(name)) {
        throw new UsageError(`--output ${value}: unknown format ${name} (one of ${FORMATS.join(', ')}; write ./${value} for a file of that name)`);
      }
      if (!file) throw new UsageError(`--output ${value}: no file after ${name}=`);
      files.push({ format: name as Format, path: file });
    } else {
      if (!value) throw new UsageError('--output needs a file (FILE or FORMAT=FILE)');
      plain++;
      files.push({ format, path: value });
    }
  }
  if (plain > 1) throw new UsageError(`--output FILE given ${plain} times: name each format, e.g. --output json=report.json --output junit=report.xml`);
  const seen = new Set<string>();
  for (const f of files) {
    const key = path.resolve(f.path);
    if (seen.has(key)) throw new UsageError(`--output ${f.path}: the same file is named twice`);
    seen.add(key);
  }
  return { files, stdout: plain === 0 };
}
