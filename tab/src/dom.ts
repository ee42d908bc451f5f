/**
 * The only way the tab builds DOM: elements with attributes and text nodes. Attachment content never reaches
 * innerHTML, so a file name like `<img src=x onerror=…>` is shown as those characters, never parsed.
 */
export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on:/, ''), v);
    // href goes through safeUrl only: a `javascript:` reference from an attachment must never become a link.
    else if (k === 'href') {
      const u = safeUrl(String(v));
      if (u) el.setAttribute('href', u);
    } else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** An http(s) URL as a string, or undefined for anything else (javascript:, data:, relative paths). */
export function safeUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** An external link that opens in a new tab; plain text when the URL is not http(s). */
export function link(text: string, url: string | undefined): HTMLElement {
  const u = safeUrl(url);
  return u ? h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, text) : h('span', null, text);
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
