import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { reportSchema } from '../../src/report/report';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(reportSchema);

/** Validates a report against the published schema; returns the errors as text, or '' when valid. */
export function schemaErrors(report: unknown): string {
  return validate(report) ? '' : ajv.errorsText(validate.errors);
}
