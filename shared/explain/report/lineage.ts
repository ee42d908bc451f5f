/**
 * The lineage graph: source commit → pipeline run → training job, data assets and environment → model version →
 * the gates that judged it. A fixed five-column layout (no layout engine); a step that was not recorded is drawn
 * dashed as "not recorded", so a gap in provenance is visible rather than hidden. Browser-safe.
 */
import type { EvidenceRecord } from '../../report/evidence';
import { clip, esc } from './format';
import type { ReportLineage } from './types';
import { COLORS, n, svgDoc, text } from './svg';

interface Node {
  kind: string;
  value: string;
  /** Full text for the tooltip. */
  full: string;
  missing?: boolean;
  verdict?: 'passed' | 'failed';
}

const NODE_W = 178, NODE_H = 46, COL_GAP = 40, ROW_GAP = 14, PAD = 8;

function lastSegment(s: string): string {
  const parts = s.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? s;
}

function node(kind: string, value: string | undefined, full?: string): Node {
  return value ? { kind, value, full: full ?? value } : { kind, value: 'not recorded', full: `${kind}: not recorded`, missing: true };
}

function box(nd: Node, x: number, y: number): string {
  const stroke = nd.verdict ? (nd.verdict === 'passed' ? COLORS.pass : COLORS.fail) : 'currentColor';
  const dash = nd.missing ? ' stroke-dasharray="4 3"' : '';
  const mark = nd.verdict ? (nd.verdict === 'passed' ? '✓ ' : '✗ ') : '';
  return [
    `<g><title>${esc(nd.full)}</title>`,
    `<rect x="${n(x)}" y="${n(y)}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${nd.verdict ? stroke : 'currentColor'}" fill-opacity="${nd.verdict ? 0.12 : 0.05}" stroke="${stroke}" stroke-opacity="${nd.verdict ? 1 : 0.5}" stroke-width="1.3"${dash}/>`,
    text(x + 8, y + 17, mark + nd.kind, 'font-size="10.5" font-weight="600" fill-opacity="0.7"'),
    text(x + 8, y + 35, clip(nd.value, 23), nd.missing ? 'font-style="italic" fill-opacity="0.6"' : ''),
    '</g>',
  ].join('');
}

/** Edge from the right middle of one box to the left middle of another, with a small arrowhead (no marker ids). */
function edge(x1: number, y1: number, x2: number, y2: number): string {
  const mx = (x1 + x2) / 2;
  return [
    `<path d="M${n(x1)} ${n(y1)}C${n(mx)} ${n(y1)} ${n(mx)} ${n(y2)} ${n(x2 - 5)} ${n(y2)}" fill="none" stroke="currentColor" stroke-opacity="0.45" stroke-width="1.2"/>`,
    `<path d="M${n(x2 - 6)} ${n(y2 - 4)}L${n(x2)} ${n(y2)}L${n(x2 - 6)} ${n(y2 + 4)}Z" fill="currentColor" fill-opacity="0.6"/>`,
  ].join('');
}

export function lineageGraph(lineage: ReportLineage, evidence: readonly Pick<EvidenceRecord, 'gate' | 'verdict'>[] = []): string {
  const commit = lineage.commit
    ? node('Commit', `${lineage.repository ? `${lastSegment(lineage.repository)}@` : ''}${lineage.commit.slice(0, 10)}`, `${lineage.repository ?? ''} ${lineage.commit}`.trim())
    : node('Commit', undefined);
  const run = lineage.pipelineRunUrl ? node('Pipeline run', lastSegment(lineage.pipelineRunUrl.replace(/[?#].*$/, '')) || 'run', lineage.pipelineRunUrl) : node('Pipeline run', undefined);
  const runId = lineage.pipelineRunUrl && /buildId=(\d+)/.exec(lineage.pipelineRunUrl)?.[1];
  if (runId) run.value = `build ${runId}`;
  const inputs: Node[] = [lineage.trainingJobId ? node('Training job', lastSegment(lineage.trainingJobId), lineage.trainingJobId) : node('Training job', undefined)];
  for (const d of [...(lineage.dataAssets ?? [])].sort()) inputs.push(node('Data asset', d.replace(/^azureml:/, ''), d));
  if (lineage.environment) inputs.push(node('Environment', lastSegment(lineage.environment), lineage.environment));
  const modelLabel = lineage.modelName ? `${lineage.modelName}${lineage.modelVersion ? `:${lineage.modelVersion}` : ''}` : undefined;
  const model = node('Model version', modelLabel, lineage.modelAssetId ?? modelLabel);
  const gates: Node[] = evidence.length
    ? evidence.map((e) => ({ kind: `Gate ${e.verdict}`, value: e.gate, full: `${e.gate}: ${e.verdict}`, verdict: e.verdict }))
    : [{ kind: 'Gate evidence', value: 'none recorded', full: 'no gate evidence for this model and run', missing: true }];
  const cols: Node[][] = [[commit], [run], inputs, [model], gates];
  const rows = Math.max(...cols.map((c) => c.length));
  const height = PAD * 2 + rows * NODE_H + (rows - 1) * ROW_GAP;
  const width = PAD * 2 + cols.length * NODE_W + (cols.length - 1) * COL_GAP;
  // Each column is centred vertically, so single boxes line up with the middle of taller columns.
  const pos = cols.map((c, ci) => {
    const colH = c.length * NODE_H + (c.length - 1) * ROW_GAP;
    const top = (height - colH) / 2;
    return c.map((_, ri) => ({ x: PAD + ci * (NODE_W + COL_GAP), y: top + ri * (NODE_H + ROW_GAP) }));
  });
  const right = (p: { x: number; y: number }) => [p.x + NODE_W, p.y + NODE_H / 2] as const;
  const left = (p: { x: number; y: number }) => [p.x, p.y + NODE_H / 2] as const;
  const edges: string[] = [edge(...right(pos[0][0]), ...left(pos[1][0])), edge(...right(pos[1][0]), ...left(pos[2][0]))];
  for (const p of pos[2]) edges.push(edge(...right(p), ...left(pos[3][0])));
  for (const p of pos[4]) edges.push(edge(...right(pos[3][0]), ...left(p)));
  const boxes = cols.flatMap((c, ci) => c.map((nd, ri) => box(nd, pos[ci][ri].x, pos[ci][ri].y)));
  const gaps = cols.flat().filter((c) => c.missing).length;
  const label = `Lineage from commit to model version and ${evidence.length} gate${evidence.length === 1 ? '' : 's'}${gaps ? `, ${gaps} step${gaps === 1 ? '' : 's'} not recorded` : ''}`;
  return svgDoc(width, height, label, [...edges, ...boxes], 'mg-chart mg-lineage');
}
