/**
 * What an anonymous answer gives away about the server: version banners and framework headers, stack traces,
 * exception type names and source paths in the body. Pure. Only the matched text is shown (capped), never the
 * surrounding body, which may hold anything.
 */

export interface Leak {
  where: 'header' | 'body';
  /** What kind of leak: `Server`, `X-Powered-By`, `stack trace`, `exception type`, `file path`. */
  label: string;
  /** The header value or the matched text, control characters removed and capped. */
  shown: string;
}

/** Headers whose mere presence names the stack (any value). */
const FRAMEWORK_HEADERS = ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-sourcefiles'];

const HEADER_NAMES: Record<string, string> = {
  server: 'Server',
  'x-powered-by': 'X-Powered-By',
  'x-aspnet-version': 'X-AspNet-Version',
  'x-aspnetmvc-version': 'X-AspNetMvc-Version',
  'x-sourcefiles': 'X-SourceFiles',
};

/** A version number after a product token: `nginx/1.18.0`, `Microsoft-IIS/10.0`, `gunicorn/20.1.0`, `Apache 2.4`. */
export const VERSIONED = /(?:\/\s*v?\d)|(?:\bv?\d+\.\d+)/;

const SOURCE_EXT = '(?:py|pyc|js|mjs|cjs|ts|cs|vb|java|kt|scala|go|rb|php|pl|dll|so|jar|cpp|cc|c|h)';

/** Run over untrusted bodies, so every pattern must be linear-time (test/probe/verdicts.test.ts checks with recheck). */
export const BODY_PATTERNS: ReadonlyArray<{ label: string; re: RegExp }> = [
  { label: 'stack trace', re: /Traceback \(most recent call last\)/ },
  { label: 'stack trace', re: /File "[^"\r\n]+", line \d+/ },
  { label: 'stack trace', re: /\bat (?:[\w$]+\.)+[\w$<>]+\((?:[\w$]+\.(?:java|kt|scala)(?::\d+)?|Unknown Source|Native Method)\)/ },
  { label: 'stack trace', re: /\bat [\w.`<>[\],]+\([^()\r\n]*\) in / },
  { label: 'stack trace', re: /\bat (?:[\w.<>$]+ )?\(?((?:\/|[A-Za-z]:\\|file:\/\/|node:)[^\s():]+:\d+:\d+)\)?/ },
  { label: 'stack trace', re: /goroutine \d+ \[running\]/ },
  { label: 'exception type', re: /(?:^|[\s"'>(])((?:[A-Za-z_][\w]*\.)+[A-Z]\w*(?:Exception|Error))\b/m },
  { label: 'exception type', re: /^[ \t]*([A-Z]\w*(?:Exception|Error)):/m },
  { label: 'file path', re: new RegExp(`(?:^|[\\s"'(=:\\[])((?:/[\\w.@+-]+){2,}\\.${SOURCE_EXT})\\b`, 'm') },
  { label: 'file path', re: new RegExp(`\\b([A-Za-z]:(?:\\\\{1,2}[\\w .@+-]+)+\\.${SOURCE_EXT})\\b`, 'i') },
];

const CAP = 100;

/** Double-quoted for a message; inner double quotes become single so nothing needs escaping. */
export function quote(s: string): string {
  return `"${s.replace(/"/g, "'")}"`;
}

/** Printable, single-line, capped. */
export function cap(s: string, max = CAP): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function headerLeaks(headers: Record<string, string>): Leak[] {
  const out: Leak[] = [];
  const server = headers.server;
  if (server !== undefined && VERSIONED.test(server)) out.push({ where: 'header', label: 'Server', shown: cap(server) });
  for (const h of FRAMEWORK_HEADERS) {
    const v = headers[h];
    if (v !== undefined) out.push({ where: 'header', label: HEADER_NAMES[h], shown: cap(v) });
  }
  return out;
}

/** Body leaks, each pattern reported once (its first match), in pattern order. */
export function bodyLeaks(body: string): Leak[] {
  const out: Leak[] = [];
  const seen = new Set<string>();
  for (const { label, re } of BODY_PATTERNS) {
    const m = re.exec(body);
    if (!m) continue;
    const shown = cap(m[1] ?? m[0]);
    const key = `${label}|${shown}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ where: 'body', label, shown });
  }
  return out;
}

/** `Server: "nginx/1.18.0"; stack trace "Traceback (most recent call last)"` — at most `max` items. */
export function describeLeaks(leaks: Leak[], max = 5): string {
  // One of each kind first, so a long list of frames does not hide the banner or the path.
  const firsts = leaks.filter((l, i) => leaks.findIndex((x) => x.label === l.label) === i);
  const ordered = [...firsts, ...leaks.filter((l) => !firsts.includes(l))];
  const shown = ordered.slice(0, max).map((l) => `${l.label} ${quote(l.shown)}`);
  const more = leaks.length > max ? `; and ${leaks.length - max} more` : '';
  return `${shown.join('; ')}${more}`;
}
