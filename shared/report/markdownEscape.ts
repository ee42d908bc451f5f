/**
 * Escaping for values that come from Azure resources or policy files before they go into the Markdown that
 * the Azure DevOps run page renders. Names can hold `|`, `<`, backticks and brackets; none may change the
 * table structure, open a link or inject HTML.
 */

/** HTML-significant characters become entities (safe whether or not the renderer passes raw HTML through). */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Inline-safe text: entities for HTML characters, a backslash before every character that starts Markdown syntax
 * inline (emphasis, code, links, images, table pipes, strikethrough), plus a leading heading or list marker, line breaks and control characters
 * folded to spaces so a value never ends a table row. Long values are cut at `max` characters.
 */
export function escapeMarkdown(value: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  let s = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  s = s.replace(/[&<>]/g, (c) => ENTITIES[c]).replace(/[\\`*_{}[\]()!|~]/g, '\\$&');
  // Block markers only matter at the start of a line; escape them there in case a caller starts a line with a value.
  return s.replace(/^(\s*)(#{1,6}(?=\s|$)|[-+=](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))/, (_m, sp: string, mark: string) =>
    /^\d/.test(mark) ? `${sp}${mark}\\` : `${sp}\\${mark}`,
  );
}

/**
 * A link destination: percent-encodes everything outside a conservative URL alphabet, including parentheses,
 * spaces and angle brackets, so the destination cannot end early. Only http(s) is linked; anything else
 * returns undefined and the caller shows text.
 */
export function safeUrl(url: string): string | undefined {
  if (!/^https?:\/\/[^\s/]/i.test(url)) return undefined;
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]/g, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** `[text](url)` with both parts made safe; plain escaped text when the URL is not http(s). */
export function mdLink(text: string, url: string | undefined): string {
  const dest = url === undefined ? undefined : safeUrl(url);
  return dest ? `[${escapeMarkdown(text)}](${dest})` : escapeMarkdown(text);
}
