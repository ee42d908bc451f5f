/**
 * Not a test: times TreeSHAP on a 30-feature, 100-tree, depth-8 random ensemble, 40 explained rows × 50
 * background rows. Run: node build/test/unit/explain/methods/treeShapTiming.js [trees] [depth]
 */
import { createRng } from '../../../../shared/explain/methods/random';
import { uniformWeights } from '../../../../shared/explain/methods/background';
import { treeShap } from '../../../../shared/explain/methods/treeShap';
import { efficiencyResidual, randomEnsemble, randomMatrix } from './fixtures';

const trees = Number(process.argv[2] ?? 100);
const depth = Number(process.argv[3] ?? 8);
const e = randomEnsemble(7, { trees, spec: { features: 30, maxDepth: depth, targets: 1, continuous: true } });
const rng = createRng(8);
const x = randomMatrix(rng, 40, 30);
const bg = { x: randomMatrix(rng, 50, 30), weights: uniformWeights(50) };
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = treeShap(e, x, bg);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(`TreeSHAP ${trees} trees depth ${depth}, 30 features, 40 rows × 50 background: ${ms.toFixed(1)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms CPU (efficiency residual ${efficiencyResidual(r.values, r.baseValue, r.outputs).toExponential(1)})`);
}
