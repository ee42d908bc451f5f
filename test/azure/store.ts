/**
 * The emulator's state: ARM resources keyed by lower-cased id, plus an index from each collection path
 * (`<parent id>/<type>`) to its children so paged lists stay cheap with thousands of resources.
 * Resources are kept in the newest API shape, secrets included; what a GET returns is derived in armView.ts.
 */
import type { ArmResource } from '../../shared/rules/types';
import { armKey, joinPath, parseArmPath, splitPath } from './armPaths';

export type { ArmResource };

export class ResourceStore {
  private readonly byId = new Map<string, ArmResource>();
  private readonly byCollection = new Map<string, Map<string, ArmResource>>();

  get size(): number {
    return this.byId.size;
  }

  /** The stored (live) resource; mutate it to change what later GETs see. */
  get(id: string): ArmResource | undefined {
    return this.byId.get(armKey(id));
  }

  has(id: string): boolean {
    return this.byId.has(armKey(id));
  }

  /**
   * Creates or replaces the resource at `resource.id` (name and type are derived from the id when absent).
   * Returns true when it was created.
   */
  put(resource: ArmResource): boolean {
    const key = armKey(resource.id);
    const parsed = parseArmPath(resource.id);
    if (parsed.kind !== 'resource') throw new Error(`not a resource id: ${resource.id}`);
    const stored: ArmResource = { ...resource, id: joinPath(splitPath(resource.id)), name: resource.name ?? parsed.name, type: resource.type ?? parsed.resourceType };
    const created = !this.byId.has(key);
    this.byId.set(key, stored);
    const coll = collectionKey(key);
    let children = this.byCollection.get(coll);
    if (!children) this.byCollection.set(coll, (children = new Map()));
    children.set(key, stored);
    return created;
  }

  putAll(resources: Iterable<ArmResource>): void {
    for (const r of resources) this.put(r);
  }

  /** Removes the resource and everything nested under it (children, extension resources). Returns true if it existed. */
  delete(id: string): boolean {
    const key = armKey(id);
    const existed = this.byId.has(key);
    for (const k of [...this.byId.keys()]) {
      if (k === key || k.startsWith(`${key}/`)) {
        this.byId.delete(k);
        this.byCollection.get(collectionKey(k))?.delete(k);
      }
    }
    return existed;
  }

  /** Direct children of a collection path such as `<workspace id>/computes`, in insertion order. */
  children(collectionPath: string): ArmResource[] {
    return [...(this.byCollection.get(armKey(collectionPath))?.values() ?? [])];
  }

  all(): ArmResource[] {
    return [...this.byId.values()];
  }

  ofType(resourceType: string): ArmResource[] {
    const t = resourceType.toLowerCase();
    return this.all().filter((r) => String(r.type).toLowerCase() === t);
  }
}

/** `<parent>/<type>` of a resource key: the key minus its last segment. */
function collectionKey(key: string): string {
  return key.slice(0, key.lastIndexOf('/'));
}
