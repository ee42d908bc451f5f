/**
 * Runs the rules over an inventory whose open values (slots) are varied one at a time, so that a rule never
 * passes, and never fails at full severity, on a value the template does not fix.
 *
 * Base world: each slot with a known candidate set takes its first candidate; an open slot keeps its string
 * form (`{parameters('pna')}`), which no rule mistakes for a safe value (an open top-level object is `{}`). Then, per slot, one world per other
 * candidate (open slots: true, false, and absent; partly known strings are not varied). A finding present in every world, on a property that is not
 * itself open, is definite. Anything else is "undetermined": it depends on deployment input.
 */
import { evaluate } from '../../rules/engine';
import type { Finding, Rule, RuleOptions, WorkspaceInventory } from '../../rules/types';
import type { Slot, TemplateInventory } from './inventory';

/** Stand-in for "the property is not set". */
const ABSENT = Symbol('absent');
/** Values an open slot is also tried with, besides its string form. */
const OPEN_ALTERNATIVES: readonly unknown[] = [true, false, ABSENT];
/** Bound on rule evaluations per inventory; slots beyond it are judged by their base value and by path only. */
export const MAX_WORLDS = 400;

export interface Judged {
  /** The finding as the rule engine gave it (ARM id, property path, message of the world it came from). */
  finding: Finding;
  /** Slots the outcome depends on; empty for a definite finding. */
  dependsOn: Slot[];
}

export function findingKey(f: Finding): string {
  return `${f.ruleId}|${f.resourceId.toLowerCase()}|${f.path ?? ''}`;
}

/** `a.b[0].c` → ['a', 'b', '0', 'c']. */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const dotted of path.split('.')) {
    let rest = dotted;
    const open = rest.indexOf('[');
    if (open < 0) { out.push(rest); continue; }
    out.push(rest.slice(0, open));
    rest = rest.slice(open);
    for (const piece of rest.split('[')) if (piece !== '') out.push(piece.endsWith(']') ? piece.slice(0, -1) : piece);
  }
  return out.filter((s) => s !== '');
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((s, i) => s.toLowerCase() === b[i].toLowerCase());
}

/** The open slot sits on the property the finding names (or inside it, or around it). */
function touches(slot: Slot, f: Finding): boolean {
  if (slot.resourceId.toLowerCase() !== f.resourceId.toLowerCase() || !f.path) return false;
  const p = pathSegments(f.path);
  return isPrefix(slot.path, p) || isPrefix(p, slot.path);
}

function resourcesOf(inv: WorkspaceInventory): Array<{ id: string } & Record<string, unknown>> {
  const linked = [inv.storageAccount, inv.keyVault, inv.containerRegistry, inv.applicationInsights].filter((x) => x !== undefined);
  return [
    inv.workspace, ...inv.computes, ...inv.datastores, ...inv.connections, ...inv.privateEndpointConnections,
    ...inv.diagnosticSettings, ...inv.roleAssignments, ...inv.roleDefinitions, ...linked,
  ] as Array<{ id: string } & Record<string, unknown>>;
}

/** Sets one slot's value in place (creating intermediate objects, deleting for ABSENT), in every copy of the resource. */
function assign(inv: WorkspaceInventory, slot: Slot, value: unknown): void {
  for (const r of resourcesOf(inv)) {
    if (r.id.toLowerCase() !== slot.resourceId.toLowerCase()) continue;
    let cur: Record<string, unknown> = r;
    for (let i = 0; i < slot.path.length - 1; i++) {
      const next = cur[slot.path[i]];
      if (next === null || typeof next !== 'object') {
        if (value === ABSENT) break;
        cur[slot.path[i]] = {};
      }
      cur = cur[slot.path[i]] as Record<string, unknown>;
    }
    const last = slot.path[slot.path.length - 1];
    if (value === ABSENT) delete cur[last];
    else cur[last] = value;
  }
}

function alternatives(slot: Slot): readonly unknown[] {
  if (slot.candidates) return slot.candidates.slice(1);
  // A partly known string (a resource id with a parameter in it) is a non-empty string whatever fills the hole.
  if (slot.partial) return [];
  return slot.object ? [ABSENT] : OPEN_ALTERNATIVES;
}

export function judge(rules: Rule[], ti: TemplateInventory, now: Date, options: RuleOptions): { judged: Judged[]; capped: boolean } {
  const base = structuredClone(ti.inventory);
  for (const s of ti.slots) if (s.candidates && s.candidates.length > 0) assign(base, s, s.candidates[0]);
  const baseFindings = new Map(evaluate(rules, base, now, options).findings.map((f) => [findingKey(f), f]));

  /** Per finding key: a finding seen in some world, the worlds it was seen in, and the slots that moved it. */
  const seen = new Map<string, { finding: Finding; count: number; movers: Set<Slot> }>();
  for (const [k, f] of baseFindings) seen.set(k, { finding: f, count: 1, movers: new Set() });
  let worlds = 1;
  let capped = false;
  for (const slot of ti.slots) {
    for (const alt of alternatives(slot)) {
      if (worlds >= MAX_WORLDS) { capped = true; break; }
      const inv = structuredClone(base);
      assign(inv, slot, alt);
      worlds++;
      const keys = new Set<string>();
      for (const f of evaluate(rules, inv, now, options).findings) {
        const k = findingKey(f);
        if (keys.has(k)) continue;
        keys.add(k);
        const entry = seen.get(k);
        if (entry) entry.count++;
        else seen.set(k, { finding: f, count: 1, movers: new Set() });
      }
      for (const [k, entry] of seen) if (keys.has(k) !== baseFindings.has(k)) entry.movers.add(slot);
    }
  }

  const openSlots = ti.slots.filter((s) => !s.candidates);
  const judged: Judged[] = [];
  for (const [k, entry] of seen) {
    const touching = openSlots.filter((s) => touches(s, entry.finding));
    const everywhere = baseFindings.has(k) && entry.count === worlds;
    const dependsOn = [...new Set([...entry.movers, ...touching])];
    if (everywhere && touching.length === 0) judged.push({ finding: entry.finding, dependsOn: [] });
    else judged.push({ finding: entry.finding, dependsOn });
  }
  return { judged, capped };
}
