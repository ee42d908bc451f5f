/** What the tests read from docs/release-gate.md and tasks/ModelEvidenceGate/task.json. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RestApiCheck, ServerTaskJson, TaskInput } from './serverTask';

export const REPO = resolve(__dirname, '..', '..', '..');

export interface ModelEvidenceTaskJson extends ServerTaskJson {
  id: string;
  name: string;
  runsOn: string[];
  version: { Major: number; Minor: number; Patch: number };
  inputs: Array<TaskInput & { label: string; groupName?: string; options?: Record<string, string> }>;
  execution: ServerTaskJson['execution'] & Record<string, unknown>;
}

export function readTaskJson(): ModelEvidenceTaskJson {
  return JSON.parse(readFileSync(resolve(REPO, 'tasks', 'ModelEvidenceGate', 'task.json'), 'utf8')) as ModelEvidenceTaskJson;
}

export function readReleaseGateDoc(): string {
  return readFileSync(resolve(REPO, 'docs', 'release-gate.md'), 'utf8');
}

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The documented "Invoke REST API" check: the yaml block that starts with its marker comment. */
export function documentedCheck(markdown: string): RestApiCheck & Record<string, unknown> {
  const blocks = yamlBlocks(markdown).filter((b) => b.startsWith('# Invoke REST API check'));
  if (blocks.length !== 1) throw new Error(`expected one Invoke REST API check block, found ${blocks.length}`);
  return parseYaml(blocks[0]) as RestApiCheck & Record<string, unknown>;
}

/** The `inputs` of the documented ModelEvidenceGate step of a server job, and the job's pool. */
export function documentedServerStep(markdown: string): { pool: unknown; inputs: Record<string, unknown> } {
  for (const block of yamlBlocks(markdown)) {
    const doc = parseYaml(block) as { stages?: Array<{ jobs?: Array<{ pool?: unknown; steps?: Array<{ task?: string; inputs?: Record<string, unknown> }> }> }> };
    for (const stage of doc?.stages ?? []) {
      for (const job of stage.jobs ?? []) {
        const step = (job.steps ?? []).find((s) => /^ModelEvidenceGate@/.test(s.task ?? ''));
        if (step) return { pool: job.pool, inputs: step.inputs ?? {} };
      }
    }
  }
  throw new Error('no ModelEvidenceGate step in the YAML examples');
}
