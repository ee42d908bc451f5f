/**
 * The secret sweep: tests register every secret value they hand to the product (keys they generate, the local
 * Azure's credentials) and every output the product wrote (task stdout, SARIF, summaries, evidence, CLI
 * output); a root hook (test/sweep.test.ts) checks, after the whole suite, that no registered value appears in
 * any recorded output.
 */
const secrets = new Set<string>();
const outputs: Array<{ label: string; text: string }> = [];

/** Values shorter than this are too likely to occur by chance to prove a leak. */
const MIN_SECRET = 16;

export function registerSecret(...values: string[]): void {
  for (const v of values) if (v && v.length >= MIN_SECRET) secrets.add(v);
}

export function recordOutput(label: string, text: string): void {
  outputs.push({ label, text });
}

export function sweep(): { secrets: number; outputs: number; leaks: string[] } {
  const leaks: string[] = [];
  for (const o of outputs) {
    for (const s of secrets) if (o.text.includes(s)) leaks.push(`${o.label} contains a secret starting ${s.slice(0, 4)}… (${s.length} chars)`);
  }
  return { secrets: secrets.size, outputs: outputs.length, leaks };
}
