/** Errors whose message is written for the user: shown as is, without a stack. */
export function isUserFacing(err: unknown): err is Error {
  return err instanceof Error && ['InputError', 'ConfigError', 'PolicyError', 'CollectionError', 'AuthError', 'BaselineError', 'StagedFilesError'].includes(err.name);
}
