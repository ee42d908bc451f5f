/**
 * The detectors, model analyzers and text handlers a scan runs, and how a worker thread gets the very
 * same ones: functions cannot cross a thread boundary, so a worker requires the module that exports them
 * and picks them by position. The default set is loaded lazily from the sibling folders.
 */
import type { RuleMeta } from '../rules/types';
import type { TextHandler } from './options';
import type { Detector, ModelAnalyzer } from './types';

export interface ScanPlugins {
  detectors: Detector[];
  analyzers: ModelAnalyzer[];
  textHandlers: TextHandler[];
}

export type PluginKind = keyof ScanPlugins;
/** `module` null: the default plugins. */
export interface PluginRef {
  module: string | null;
  kind: PluginKind;
  index: number;
}

function arrayOf<T>(mod: Record<string, unknown> | undefined, names: string[]): T[] {
  for (const n of names) {
    const v = mod?.[n];
    if (Array.isArray(v)) return v as T[];
    if (v && typeof v === 'object') return [v as T];
  }
  return [];
}

let defaults: ScanPlugins | undefined;

/** ALL_DETECTORS of ./detectors, ALL_ANALYZERS of ./models, TEXT_HANDLERS (or armTemplateHandler) of ./armTemplate (or its handler module). */
export function defaultPlugins(): ScanPlugins {
  if (!defaults) {
    // Lazy requires (literal paths, so esbuild bundles them): a task that never scans never loads the checks.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const detectors = require('./detectors') as typeof import('./detectors');
    const models = require('./models') as typeof import('./models');
    const arm = require('./armTemplate') as typeof import('./armTemplate');
    /* eslint-enable @typescript-eslint/no-require-imports */
    defaults = { detectors: detectors.ALL_DETECTORS, analyzers: models.ALL_ANALYZERS, textHandlers: arm.TEXT_HANDLERS };
  }
  return defaults;
}

/** Plugins exported by a module given in `pluginModules`: arrays named detectors, analyzers, textHandlers. */
export function modulePlugins(modulePath: string): ScanPlugins {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(modulePath) as Record<string, unknown>;
  return {
    detectors: arrayOf<Detector>(mod, ['detectors', 'ALL_DETECTORS']),
    analyzers: arrayOf<ModelAnalyzer>(mod, ['analyzers', 'ALL_ANALYZERS']),
    textHandlers: arrayOf<TextHandler>(mod, ['textHandlers', 'TEXT_HANDLERS']),
  };
}

/**
 * Where a worker finds each configured plugin (in the default set, or in one of `pluginModules`), and the
 * plugins it cannot find (built by the caller with its own configuration, say). Only text handlers can stay
 * behind on the calling thread; an unlocated detector or analyzer means no workers.
 */
export function locatePlugins(plugins: ScanPlugins, pluginModules: readonly string[] = []): { refs: PluginRef[]; unlocated: ScanPlugins } {
  const sources: Array<{ module: string | null; plugins: ScanPlugins }> = [{ module: null, plugins: defaultPlugins() }];
  for (const m of pluginModules) sources.push({ module: m, plugins: modulePlugins(m) });
  const refs: PluginRef[] = [];
  const unlocated: ScanPlugins = { detectors: [], analyzers: [], textHandlers: [] };
  for (const kind of ['detectors', 'analyzers', 'textHandlers'] as const) {
    for (const p of plugins[kind] as unknown[]) {
      let ref: PluginRef | undefined;
      for (const s of sources) {
        const index = (s.plugins[kind] as unknown[]).indexOf(p);
        if (index >= 0) {
          ref = { module: s.module, kind, index };
          break;
        }
      }
      if (ref) refs.push(ref);
      else (unlocated[kind] as unknown[]).push(p);
    }
  }
  return { refs, unlocated };
}

/** The plugins `refs` point at, in the same order as when they were located. */
export function resolvePlugins(refs: readonly PluginRef[]): ScanPlugins {
  const out: ScanPlugins = { detectors: [], analyzers: [], textHandlers: [] };
  const loaded = new Map<string | null, ScanPlugins>();
  for (const r of refs) {
    let src = loaded.get(r.module);
    if (!src) loaded.set(r.module, (src = r.module === null ? defaultPlugins() : modulePlugins(r.module)));
    const item = (src[r.kind] as unknown[])[r.index];
    if (item === undefined) throw new Error(`scan worker: no ${r.kind}[${r.index}] in ${r.module ?? 'the default plugins'}`);
    (out[r.kind] as unknown[]).push(item);
  }
  return out;
}

/** Every rule the plugins can emit, each id once (first definition wins), sorted by id. */
export function pluginRules(plugins: ScanPlugins): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  const add = (r: RuleMeta) => {
    if (!byId.has(r.id)) byId.set(r.id, r);
  };
  for (const d of plugins.detectors) {
    add(d.meta);
    d.variants?.forEach(add);
  }
  for (const a of plugins.analyzers) a.rules.forEach(add);
  for (const h of plugins.textHandlers) h.rules?.forEach(add);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
