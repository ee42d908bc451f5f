import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { withoutSecrets } from '../auditLarge';

describe('bench: audit helpers', () => {
  it('drops task.setsecret commands (they carry the raw value) before a log is shown', () => {
    const secret = randomBytes(24).toString('base64url');
    const out = withoutSecrets(`first line\n##vso[task.setsecret]${secret}\n  ##VSO[task.setSecret]${secret}\n##vso[task.complete result=Failed;]x`);
    assert.ok(!out.includes(secret));
    assert.match(out, /^first line\n##vso\[task\.complete result=Failed;\]x$/);
  });
});
