/** JSON Schema validators the tests share: the official SARIF 2.1.0 schema and our evidence record schema. */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import Ajv4 from 'ajv-draft-04';
import evidenceSchema from '../../shared/report/evidence.schema.json';
import evidenceBundleSchema from '../../shared/evidence/bundle.schema.json';

/** The official SARIF 2.1.0 schema, read from node_modules at test time (never copied into the repo). */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // The schema's language pattern is not valid under the u flag.
  const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
  // ajv-formats is not installed; these three are the formats the schema uses.
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('uri', (s: string) => { try { return Boolean(new URL(s).protocol); } catch { return false; } });
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  return ajv.compile(schema);
}

export function evidenceValidator() {
  return new Ajv({ allErrors: true, strict: false }).compile(evidenceSchema);
}

/** Validation as a list of problems (empty when valid), so callers keep their own types. */
export function schemaProblems(validate: ReturnType<typeof sarifValidator>, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);
}

export function evidenceBundleValidator() {
  return new Ajv({ allErrors: true, strict: false }).compile(evidenceBundleSchema);
}
