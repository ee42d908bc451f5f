/**
 * Waivers: time-boxed acceptance of findings. Pure: the clock comes in as `now`.
 *
 * Dates are whole UTC days and inclusive: `expires: 2027-01-31` hides findings until 2027-01-31T23:59:59.999Z,
 * so a waiver means the same thing on every agent whatever its time zone.
 */
import picomatch from 'picomatch';
import type { Finding } from './types';

export interface Waiver {
  rule: string;
  /**
   * Glob over the finding's resource id (case-insensitive, anchored): the full ARM id for the workspace
   * audit, the file path for content findings. At most one of resource, path and fingerprint is set;
   * none = every finding of the rule.
   */
  resource?: string;
  /** Content findings only: glob over the file path relative to the scanned folder (picomatch, case-sensitive). */
  path?: string;
  /** Exactly one finding: its fingerprint (SARIF partialFingerprints, the summary, the baseline file). */
  fingerprint?: string;
  owner: string;
  reason: string;
  /** YYYY-MM-DD, last day the waiver applies (UTC). */
  expires: string;
  /** 1-based line of the waiver in the policy file, for messages. */
  line?: number;
}

export interface WaiverSplit {
  active: Finding[];
  waived: Finding[];
  warnings: string[];
}

const DAY_MS = 86_400_000;

/** `*` is any run of characters (including `/`, since ARM ids nest), `?` one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'is');
}

const pathMatchers = new Map<string, (p: string) => boolean>();

/**
 * File-path glob: `*` stays within a folder, `**` crosses folders, dot files match like any other; a glob
 * without a slash matches the file name at any depth (`*.ipynb`), as in .gitignore and the scan's excludes.
 */
export function pathGlobMatches(glob: string, file: string): boolean {
  let m = pathMatchers.get(glob);
  if (!m) {
    const g = glob.replace(/^\.\//, '');
    pathMatchers.set(glob, (m = picomatch(g.includes('/') ? g : `**/${g}`, { dot: true })));
  }
  return m(file);
}

export function waiverMatches(w: Waiver, f: Finding): boolean {
  if (w.rule.toUpperCase() !== f.ruleId.toUpperCase()) return false;
  if (w.fingerprint !== undefined) return w.fingerprint.toLowerCase() === f.fingerprint.toLowerCase();
  if (w.path !== undefined) return f.location !== undefined && pathGlobMatches(w.path, f.location.file);
  return w.resource === undefined || globToRegExp(w.resource).test(f.resourceId);
}

/** Parses YYYY-MM-DD strictly (2027-02-30 is not a date). Returns midnight UTC of that day, or undefined. */
export function parseDay(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? t : undefined;
}

/** First instant the waiver no longer applies: midnight UTC after its `expires` day. */
export function waiverEnd(w: Waiver): Date {
  const day = parseDay(w.expires);
  if (!day) throw new Error(`waiver for ${w.rule} has an invalid expiry date "${w.expires}"`);
  return new Date(day.getTime() + DAY_MS);
}

/** Latest allowed `expires` for a waiver written at `now`: the same calendar day one year later. */
export function latestExpiry(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate()));
}

export function describeWaiver(w: Waiver): string {
  const where =
    w.fingerprint !== undefined ? `finding ${w.fingerprint}` : w.path !== undefined ? `files "${w.path}"` : w.resource === undefined ? 'all resources' : `"${w.resource}"`;
  const at = w.line ? ` (policy line ${w.line})` : '';
  return `Waiver for ${w.rule} on ${where}${at}, owner ${w.owner}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Splits findings into active and waived. A finding is waived by the first waiver that matches it and is still
 * in force; expired waivers never hide anything. Waived findings are copies carrying `waiver`; inputs are not mutated.
 * Warnings: expired (whether or not it matched), expiring within `warnBeforeExpiryDays`, and stale (matched nothing).
 */
export function applyWaivers(findings: readonly Finding[], waivers: readonly Waiver[], now: Date, warnBeforeExpiryDays: number): WaiverSplit {
  const out: WaiverSplit = { active: [], waived: [], warnings: [] };
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const state = waivers.map((w) => {
    // Whole calendar days from today to the last valid day: 0 on the last day, negative once expired.
    const daysLeft = Math.round((waiverEnd(w).getTime() - DAY_MS - today) / DAY_MS);
    return { w, expired: daysLeft < 0, daysLeft, hidden: 0, revealed: 0 };
  });
  for (const f of findings) {
    const matching = state.filter((s) => waiverMatches(s.w, f));
    const inForce = matching.find((s) => !s.expired);
    if (!inForce) {
      for (const s of matching) s.revealed++;
      out.active.push(f);
      continue;
    }
    inForce.hidden++;
    const expiresSoon = inForce.daysLeft <= warnBeforeExpiryDays;
    out.waived.push({ ...f, waiver: { owner: inForce.w.owner, reason: inForce.w.reason, expires: inForce.w.expires, expiresSoon } });
  }
  for (const s of state) {
    if (s.expired) {
      out.warnings.push(
        s.revealed > 0
          ? `${describeWaiver(s.w)} expired on ${s.w.expires}; its ${plural(s.revealed, 'finding')} count again. Fix them, or renew the waiver with a new date if the risk is still accepted.`
          : `${describeWaiver(s.w)} expired on ${s.w.expires} and matches no finding; remove it from the policy file.`,
      );
    } else if (s.hidden === 0) {
      out.warnings.push(`${describeWaiver(s.w)} matched no finding (stale); remove it from the policy file or correct its rule or resource pattern.`);
    } else if (s.daysLeft <= warnBeforeExpiryDays) {
      out.warnings.push(
        `${describeWaiver(s.w)} expires on ${s.w.expires} (${s.daysLeft === 0 ? 'today' : `in ${plural(s.daysLeft, 'day')}`}) and still hides ${plural(s.hidden, 'finding')}; fix them or renew the waiver before then.`,
      );
    }
  }
  return out;
}
