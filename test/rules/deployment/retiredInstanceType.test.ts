/** The date logic of AML-OD-010: a size whose retirement is still ahead is a low-severity warning, then medium. */
import * as assert from 'node:assert/strict';
import { rule } from '../../../shared/rules/deployment/retiredInstanceType';
import { RETIRED_SERIES, retiredSeriesOf } from '../../../shared/rules/deployment/_retiredSizes';
import { asOutcomes } from '../../../shared/rules/engine';
import { baseInventory, onlineDeployment } from '../fixtures';

const at = (iso: string) => asOutcomes(rule.check(onlineDeployment('ep', 'blue', { instanceType: 'Standard_NC24s_v3' }), { inventory: baseInventory(), now: new Date(iso), options: {} }));

describe('AML-OD-010 retirement dates', () => {
  it('warns (low) before the NCv3 retirement day and fails (rule severity) from that day on', () => {
    const before = at('2025-09-29T23:59:59Z')[0];
    assert.equal(before.status, 'fail');
    assert.equal(before.status === 'fail' && before.severity, 'low');
    assert.match(before.status === 'fail' ? before.message : '', /retires on 2025-09-30/u);
    const on = at('2025-09-30T00:00:00Z')[0];
    assert.equal(on.status === 'fail' && on.severity, undefined);
  });

  it('lists every size once, each with an https reference and an ISO date', () => {
    const all = RETIRED_SERIES.flatMap((s) => s.sizes.map((x) => x.toLowerCase()));
    assert.equal(new Set(all).size, all.length);
    for (const s of RETIRED_SERIES) {
      assert.match(s.retiresOn, /^\d{4}-\d{2}-\d{2}$/u);
      assert.match(s.reference.url, /^https:\/\/learn\.microsoft\.com\//u);
    }
    assert.equal(retiredSeriesOf(' standard_nd24rs ')?.series, 'ND (NVIDIA P40)');
    assert.equal(retiredSeriesOf('Standard_NC6s_v4'), undefined);
  });
});
