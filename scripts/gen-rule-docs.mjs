// Writes docs/rules.md from the compiled rule catalog: one row per rule, so the list users read is the code.
import { writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './lib.mjs';

const require = createRequire(import.meta.url);
const { ALL_RULES } = require(join(root, 'build/shared/rules/catalog.js'));
const families = { workspace: 'Workspace', compute: 'Compute', datastore: 'Datastore', connection: 'Workspace connection',
  storageAccount: 'Linked storage account', keyVault: 'Linked key vault', containerRegistry: 'Linked container registry',
  applicationInsights: 'Linked Application Insights', roleAssignment: 'Access: role assignment', roleDefinition: 'Access: role definition' };
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const lines = [
  '# SecurityGate rules',
  '',
  `Generated from the rule files under \`shared/rules/<family>/\` by \`scripts/gen-rule-docs.mjs\` (${ALL_RULES.length} rules).`,
  'The severity is the default; a policy file can change it, turn the rule off, or waive single findings.',
  '',
];
for (const [kind, title] of Object.entries(families)) {
  const rules = ALL_RULES.filter((r) => r.resourceKind === kind).sort((a, b) => a.id.localeCompare(b.id));
  if (!rules.length) continue;
  lines.push(`## ${title}`, '', '| id | severity | rule | remediation | references |', '|---|---|---|---|---|');
  for (const r of rules) {
    lines.push(`| ${r.id} | ${r.severity} | **${cell(r.title)}** ${cell(r.rationale)} | ${cell(r.remediation)} | ${r.references.map((x) => `[${cell(x.title)}](${x.url})`).join('<br>')} |`);
  }
  lines.push('');
}
const target = join(root, 'docs', 'rules.md');
const text = lines.join('\n');
let old = '';
try { old = readFileSync(target, 'utf8'); } catch {}
if (old !== text) writeFileSync(target, text);
console.log(`rule docs: ${ALL_RULES.length} rules in docs/rules.md`);
