/**
 * One TLS client context per kind of handshake, made once per process. Without them every probe socket builds its
 * own SSL_CTX (cipher list, root store), which with hundreds of endpoints cost more CPU than the handshakes' crypto.
 */
import { createSecureContext, type SecureContext } from 'node:tls';

let modern: SecureContext | undefined;
let legacy: SecureContext | undefined;

/** Node's defaults (TLS 1.2+), trusting Node's roots plus NODE_EXTRA_CA_CERTS, like the agent's other HTTPS calls. */
export function modernContext(): SecureContext {
  return (modern ??= createSecureContext({}));
}

/**
 * TLS 1.0 and 1.1 only. OpenSSL 3 refuses those versions at its default security level, so the level is lowered
 * (SECLEVEL=0) to be able to ask at all. Throws where this Node's OpenSSL cannot offer them; the caller reports that.
 */
export function legacyContext(): SecureContext {
  return (legacy ??= createSecureContext({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }));
}
