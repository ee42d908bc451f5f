/**
 * Turns rule findings on template resources into content findings: the template file, the line and column of
 * the offending property (or of the nearest part of it the template does write), the resource named in the
 * message, and a fingerprint that survives line moves.
 */
import { createHash } from 'node:crypto';
import { severityRank, type Finding, type Severity } from '../../rules/types';
import { prop, type JNode, type JsonDocument, type Pos } from './json';
import type { TemplateResource } from './resources';
import { renderParts } from './unknown';
import { pathSegments, type Judged } from './worlds';

/** Severity of a finding that depends on deployment input: reported, but not at the rule's full weight. */
export const UNDETERMINED_SEVERITY: Severity = 'low';

export interface Located {
  start: Pos;
  end: Pos;
}

/** The deepest node on `path` that the declaration writes: the property key, or the declaration itself. */
export function locate(doc: JsonDocument, decl: JNode, path: string | undefined): Located {
  let node = decl;
  let start = decl.start;
  let end = decl.end;
  for (const seg of path ? pathSegments(path) : []) {
    if (node.kind === 'object') {
      const p = prop(node, seg);
      if (!p) break;
      start = p.keyStart;
      end = p.value.end;
      node = p.value;
    } else if (node.kind === 'array') {
      const i = Number(seg);
      if (!Number.isInteger(i) || i < 0 || i >= node.items.length) break;
      node = node.items[i];
      start = node.start;
      end = node.end;
    } else {
      break;
    }
  }
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function templateFingerprint(ruleId: string, file: string, resourceId: string, path: string | undefined, undetermined: boolean): string {
  const key = `${ruleId}|${file}|${resourceId.toLowerCase()}|${path ?? ''}${undetermined ? '|undetermined' : ''}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function describe(src: TemplateResource | undefined, id: string): string {
  if (!src) return `In resource ${id}`;
  return `In resource '${renderParts(src.fullName)}' (${src.type})`;
}

/**
 * One content finding. `src` is the declaration behind the finding's resource (for a private endpoint
 * connection, the private endpoint that creates it).
 */
export function toContentFinding(j: Judged, file: string, src: TemplateResource | undefined, doc: JsonDocument): Finding {
  const f = j.finding;
  const undetermined = j.dependsOn.length > 0;
  const where = locate(doc, src?.node ?? doc.root, src ? f.path : undefined);
  const loop = src?.copyLoop ? ` Judged on the first iteration of copy loop "${src.copyLoop}".` : '';
  let message: string;
  let severity = f.severity;
  if (undetermined) {
    const causes = [...new Set(j.dependsOn.flatMap((s) => s.causes))];
    const inputs = causes.slice(0, 3).join(', ') + (causes.length > 3 ? ` and ${causes.length - 3} more` : '');
    message = `${describe(src, f.resourceId)}, undetermined: the outcome depends on ${inputs}, which the template does not fix. ${f.message}${loop}`;
    if (severityRank(severity) > severityRank(UNDETERMINED_SEVERITY)) severity = UNDETERMINED_SEVERITY;
  } else {
    message = `${describe(src, f.resourceId)}: ${f.message}${loop}`;
  }
  return {
    ruleId: f.ruleId,
    title: f.title,
    severity,
    resourceKind: 'file',
    resourceId: file,
    message,
    ...(f.path ? { path: f.path } : {}),
    location: { file, line: where.start.line, column: where.start.column, endLine: where.end.line, endColumn: where.end.column },
    fingerprint: templateFingerprint(f.ruleId, file, f.resourceId, f.path, undetermined),
  };
}
