/**
 * A read the gate needed and could not make. The gate fails closed on it, with one line that names the
 * resource, the HTTP status (when there was one) and what to do.
 */
export class CollectionError extends Error {
  constructor(
    /** What was being read, in words: "computes of workspace mlw-prod". */
    readonly what: string,
    /** The ARM id or URL path that was read. */
    readonly target: string,
    readonly reason: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(`Could not read ${what}${status ? ` (HTTP ${status}${code ? ` ${code}` : ''})` : code ? ` (${code})` : ''}: ${reason} [${target}]`);
    this.name = 'CollectionError';
  }
}

/** The role an ARM 403 asks for, in a sentence the reader can act on. */
export function permissionHint(action: string | undefined, scope: string | undefined): string {
  const act = action ? `the permission '${action}'` : 'read permission';
  const where = scope ? ` on ${scope}` : '';
  return `the service connection's identity lacks ${act}${where}; assign it the Reader role there (or a custom role with that action)`;
}

/** Pulls the action and scope out of ARM's AuthorizationFailed message. */
export function parseAuthorizationFailed(message: string): { action?: string; scope?: string } {
  const action = /perform action '([^']+)'/i.exec(message)?.[1];
  const scope = /over scope '([^']+)'/i.exec(message)?.[1];
  return { action, scope };
}
