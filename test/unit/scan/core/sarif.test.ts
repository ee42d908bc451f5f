/** What the scan produces renders as valid SARIF 2.1.0, with the places, cells and previews it found. */
import * as assert from 'node:assert/strict';
import { toSarif } from '../../../../shared/report/sarif';
import { schemaProblems, sarifValidator } from '../../../schemas/validators';
import { makeTree, removeTree, scan } from './helpers';
import { makeToken } from './testPlugins';

describe('scan core: findings as SARIF', () => {
  it('validates against the SARIF schema, with regions, notebook cells and no secret', async () => {
    const tok = makeToken();
    const nb = { cells: [{ cell_type: 'code', metadata: {}, source: ['x'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`t=${tok}\n`] }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const root = makeTree({ 'a.py': `k = "${tok}"\n`, 'n.ipynb': JSON.stringify(nb, null, 1), 'm.pkl': Buffer.from('\x80\x04cos\nsystem\n', 'latin1') });
    try {
      const r = await scan(root);
      const log = toSarif({
        tool: { name: 'MLOps Gates', version: '0.1.0', informationUri: 'https://example.invalid' },
        rules: r.rules,
        findings: r.findings,
        runStartedAt: new Date(0),
        invocationSucceeded: true,
        notifications: r.warnings,
      });
      assert.deepEqual(schemaProblems(sarifValidator(), log), []);
      const results = log.runs[0].results;
      assert.equal(results.length, 3);
      const cell = results.find((x) => x.locations[0].physicalLocation?.artifactLocation.uri === 'n.ipynb');
      assert.equal(cell?.locations[0].logicalLocations?.[0].name, 'cell 1 output 1');
      assert.ok(!JSON.stringify(log).includes(tok));
    } finally {
      removeTree(root);
    }
  });
});
