/**
 * Light or dark, from the background colour the host's theme set (--background-color): the severity and
 * status colours need a palette per mode to keep their contrast, while everything else uses the host's
 * own CSS variables directly.
 */
export function luminance(css: string): number | undefined {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(css) ?? undefined;
  let rgb: number[] | undefined = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
  const hex = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(css.trim());
  if (!rgb && hex) {
    const v = hex[1].length === 3 ? hex[1].split('').map((c) => c + c).join('') : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(v.slice(i, i + 2), 16));
  }
  if (!rgb) return undefined;
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function applyThemeMode(): void {
  const bg = getComputedStyle(document.documentElement).getPropertyValue('--background-color');
  const l = luminance(bg);
  document.documentElement.dataset.theme = l !== undefined && l < 0.3 ? 'dark' : 'light';
}
