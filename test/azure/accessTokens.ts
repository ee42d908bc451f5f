/**
 * Entra access tokens: issued as v1 tokens the way ARM receives them, and checked on every ARM request
 * with ARM's own error codes.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from './context';
import { newTokenId, type Claims } from './tokens';

export interface TokenSubject {
  /** Resource the token is for (the scope minus `/.default`). */
  audience: string;
  appId: string;
  objectId: string;
  /** 1 = client secret, 2 = certificate or federated assertion / managed identity. */
  appidacr: '1' | '2';
  /** Set for managed identities: the identity's ARM id. */
  miResourceId?: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  expiresOn: number;
}

export function stsIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function issueAccessToken(ctx: EmulatorContext, s: TokenSubject): IssuedToken {
  const now = ctx.clock.nowSec();
  const expiresIn = ctx.settings.tokenLifetimeSec;
  const tid = ctx.dir.tenantId;
  const claims: Claims = {
    aud: s.audience,
    iss: stsIssuer(tid),
    iat: now,
    nbf: now,
    exp: now + expiresIn,
    aio: randomBytes(24).toString('base64url'),
    appid: s.appId,
    appidacr: s.appidacr,
    idp: stsIssuer(tid),
    idtyp: 'app',
    oid: s.objectId,
    rh: `0.${randomBytes(18).toString('base64url')}.`,
    sub: s.objectId,
    tid,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
    xms_tcdt: 1_600_000_000,
    ...(s.miResourceId ? { xms_mirid: s.miResourceId } : {}),
    jti: newTokenId(),
  };
  return { accessToken: ctx.entraKey.sign(claims, { x5t: ctx.entraKey.kid }), expiresIn, expiresOn: now + expiresIn };
}

export type ArmTokenCheck =
  | { ok: true; claims: Claims }
  | { ok: false; code: string; message: string };

const ARM_AUDIENCES = ['https://management.azure.com', 'https://management.core.windows.net'];

function normalizeAudience(a: string): string {
  return a.toLowerCase().replace(/\/+$/, '');
}

/** Validates a bearer token for ARM at `origin` (the emulator's ARM URL is an accepted audience too). */
export function checkArmToken(ctx: EmulatorContext, token: string | undefined, authorizationHeader: string | undefined, origin: string): ArmTokenCheck {
  if (!authorizationHeader) {
    return { ok: false, code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." };
  }
  if (!token) {
    return { ok: false, code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is provided in an invalid format." };
  }
  const jwt = ctx.entraKey.verify(token);
  if (!jwt) return { ok: false, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
  const c = jwt.payload;
  const expected = stsIssuer(ctx.dir.tenantId);
  if (c.iss !== expected || c.tid !== ctx.dir.tenantId) {
    return {
      ok: false,
      code: 'InvalidAuthenticationTokenTenant',
      message: `The access token is from the wrong issuer '${String(c.iss)}'. It must match the tenant '${expected}' associated with this subscription. Please use the authority (URL) '${expected}' to get the token.`,
    };
  }
  const allowed = [...ARM_AUDIENCES, origin].map(normalizeAudience);
  if (typeof c.aud !== 'string' || !allowed.includes(normalizeAudience(c.aud))) {
    return {
      ok: false,
      code: 'InvalidAuthenticationTokenAudience',
      message: `The access token has been obtained for wrong audience or resource '${String(c.aud)}'. It should exactly match with one of the allowed audiences '${ARM_AUDIENCES.map((a) => `${a}/','${a}`).join("','")}'.`,
    };
  }
  const now = ctx.clock.nowSec();
  if (typeof c.exp !== 'number' || c.exp <= now) {
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
    return {
      ok: false,
      code: 'ExpiredAuthenticationToken',
      message: `The access token expiry UTC time '${iso(Number(c.exp))}' is earlier than current UTC time '${iso(now)}'.`,
    };
  }
  if (typeof c.nbf === 'number' && c.nbf > now + 300) {
    return { ok: false, code: 'InvalidAuthenticationToken', message: 'The access token is not yet valid.' };
  }
  return { ok: true, claims: c };
}
