#!/usr/bin/python3
"""The ExplainabilityReport benchmark's model, data and Python references (run with Debian's /usr/bin/python3:
scikit-learn 1.2, onnx 1.12, numpy).

1. Data: scikit-learn's bundled breast-cancer table (569 rows, 30 numeric features, no download), split 70/30
   with a fixed seed: 398 training rows, 171 evaluation rows.
2. Model: RandomForestClassifier(n_estimators=100, random_state=0), other parameters at their defaults (full-depth
   trees), written to ONNX by hand with onnx.helper the way skl2onnx writes forests: one TreeEnsembleClassifier
   (ai.onnx.ml v1, BRANCH_LEQ on float32 thresholds, class probabilities of each leaf / number of trees as the
   weights of both classes, post_transform NONE) followed by a ZipMap, outputs output_label + output_probability.
3. Files in the output folder: model.onnx, data.csv (evaluation rows + target), background.csv (50 training rows,
   seeded sample), explain.json (which 40 evaluation rows SHAP explains).
4. References, timed in this process (wall and CPU time, single-threaded: n_jobs unset, and bench/explainBench.ts
   runs this script with OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1, as our runtimes use one thread):
   - sklearn.inspection.permutation_importance, scoring roc_auc, n_repeats 5, random_state 0;
   - KernelSHAP in numpy, written here as shap's KernelExplainer does it with nsamples "auto" (2M + 2048):
     complete subset sizes enumerated while the budget affords them, the rest drawn with the Shapley kernel and
     paired with complements, one predict_proba call per explained row over all coalitions × background rows,
     and the constrained weighted least squares (efficiency imposed by eliminating one feature); no L1 selection.
Prints one JSON object (timings, results, model facts) on stdout; progress goes to stderr.
"""
import argparse
import csv
import json
import os
import platform
import sys
import time

import numpy as np
import onnx
import sklearn
from onnx import TensorProto, helper
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

SPLIT_SEED = 42
MODEL_SEED = 0
PI_SEED = 0
SHAP_SEED = 0
N_TREES = 100
N_REPEATS = 5
N_EXPLAIN = 40
N_BACKGROUND = 50


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def feature_names(raw):
    return [n.replace(' ', '_') for n in raw]


# ----------------------------------------------------------------------------------------------- ONNX writer

def forest_to_onnx(model, n_features):
    """TreeEnsembleClassifier + ZipMap, laid out as skl2onnx lays out a RandomForestClassifier."""
    a = {k: [] for k in ('nodes_treeids', 'nodes_nodeids', 'nodes_featureids', 'nodes_modes', 'nodes_values',
                         'nodes_truenodeids', 'nodes_falsenodeids', 'nodes_missing_value_tracks_true',
                         'nodes_hitrates', 'class_treeids', 'class_nodeids', 'class_ids', 'class_weights')}
    n_classes = len(model.classes_)
    for t, est in enumerate(model.estimators_):
        tree = est.tree_
        for i in range(tree.node_count):
            leaf = tree.children_left[i] == -1
            a['nodes_treeids'].append(t)
            a['nodes_nodeids'].append(i)
            a['nodes_featureids'].append(0 if leaf else int(tree.feature[i]))
            a['nodes_modes'].append('LEAF' if leaf else 'BRANCH_LEQ')
            a['nodes_values'].append(0.0 if leaf else float(tree.threshold[i]))
            a['nodes_truenodeids'].append(0 if leaf else int(tree.children_left[i]))
            a['nodes_falsenodeids'].append(0 if leaf else int(tree.children_right[i]))
            a['nodes_missing_value_tracks_true'].append(0)
            a['nodes_hitrates'].append(1.0)
            if leaf:
                counts = tree.value[i][0]
                proba = counts / counts.sum()
                for c in range(n_classes):
                    a['class_treeids'].append(t)
                    a['class_nodeids'].append(i)
                    a['class_ids'].append(c)
                    a['class_weights'].append(float(proba[c]) / len(model.estimators_))
    labels = [int(c) for c in model.classes_]
    trees = helper.make_node('TreeEnsembleClassifier', ['X'], ['label', 'probabilities'], domain='ai.onnx.ml',
                             name='TreeEnsembleClassifier', classlabels_int64s=labels, post_transform='NONE', **a)
    cast = helper.make_node('Cast', ['label'], ['output_label'], to=TensorProto.INT64, name='Cast')
    zipmap = helper.make_node('ZipMap', ['probabilities'], ['output_probability'], domain='ai.onnx.ml',
                              name='ZipMap', classlabels_int64s=labels)
    seq_of_maps = helper.make_sequence_type_proto(onnx.TypeProto(map_type=onnx.TypeProto.Map(
        key_type=TensorProto.INT64, value_type=helper.make_tensor_type_proto(TensorProto.FLOAT, None))))
    graph = helper.make_graph(
        [trees, cast, zipmap], 'random_forest',
        [helper.make_tensor_value_info('X', TensorProto.FLOAT, [None, n_features])],
        [helper.make_tensor_value_info('output_label', TensorProto.INT64, [None]),
         helper.make_value_info('output_probability', seq_of_maps)])
    m = helper.make_model(graph, producer_name='mlops-gates-bench', producer_version='1',
                          opset_imports=[helper.make_opsetid('', 15), helper.make_opsetid('ai.onnx.ml', 1)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


# ----------------------------------------------------------------------------------------------- KernelSHAP

def sample_coalitions(p, budget, rng):
    """Masks (K × p, 1 = feature from x) and kernel weights, as shap's KernelExplainer chooses them."""
    num_sizes = int(np.ceil((p - 1) / 2.0))
    num_paired = int(np.floor((p - 1) / 2.0))
    weight_vector = np.array([(p - 1.0) / (i * (p - i)) for i in range(1, num_sizes + 1)])
    weight_vector[:num_paired] *= 2
    weight_vector /= weight_vector.sum()
    masks, weights = [], []
    num_full = 0
    left = budget
    remaining = weight_vector.copy()
    for size in range(1, num_sizes + 1):
        nsubsets = float(_binom(p, size))
        paired = size <= num_paired
        if paired:
            nsubsets *= 2
        if left * remaining[size - 1] / nsubsets < 1.0 - 1e-8:
            break
        num_full += 1
        left -= nsubsets
        if remaining[size - 1] < 1.0:
            remaining /= (1.0 - remaining[size - 1])
        w = weight_vector[size - 1] / _binom(p, size)
        if paired:
            w /= 2.0
        for idx in _combinations(p, size):
            m = np.zeros(p, dtype=np.uint8)
            m[list(idx)] = 1
            masks.append(m)
            weights.append(w)
            if paired:
                masks.append(1 - m)
                weights.append(w)
    n_fixed = len(masks)
    samples_left = budget - n_fixed
    if num_full != num_sizes and samples_left > 0:
        rw = weight_vector[num_full:].copy()
        rw[:max(0, num_paired - num_full)] /= 2.0  # a paired draw yields two samples
        rw /= rw.sum()
        used = {}
        draws = 4 * samples_left
        sizes = rng.choice(len(rw), 4 * samples_left, p=rw)
        k = 0
        while samples_left > 0 and k < draws:
            size = int(sizes[k]) + num_full + 1
            k += 1
            m = np.zeros(p, dtype=np.uint8)
            m[rng.permutation(p)[:size]] = 1
            key = m.tobytes()
            at = used.get(key)
            if at is None:
                used[key] = len(masks)
                masks.append(m)
                weights.append(1.0)
                samples_left -= 1
            else:
                weights[at] += 1.0
            if samples_left > 0 and size <= num_paired:
                if at is None:
                    masks.append(1 - m)
                    weights.append(1.0)
                    samples_left -= 1
                else:
                    weights[at + 1] += 1.0
        weight_left = weight_vector[num_full:].sum()
        drawn = np.array(weights[n_fixed:])
        weights[n_fixed:] = list(drawn * (weight_left / drawn.sum()))
    return np.array(masks, dtype=np.float64), np.array(weights)


def _binom(n, k):
    r = 1
    for i in range(1, k + 1):
        r = r * (n - k + i) // i
    return r


def _combinations(n, k):
    from itertools import combinations
    return combinations(range(n), k)


def solve_constrained(masks, weights, v, base, fx):
    """argmin Σ w (v − base − mask·φ)² subject to Σφ = fx − base (eliminating the last feature)."""
    total = fx - base
    y = v - base - masks[:, -1] * total
    z = masks[:, :-1] - masks[:, -1:]
    sw = np.sqrt(weights)
    sol = np.linalg.lstsq(z * sw[:, None], y * sw, rcond=None)[0]
    return np.append(sol, total - sol.sum())


def kernel_shap(predict, x_rows, bg, nsamples, seed):
    """Interventional KernelSHAP over a uniform background: φ (rows × M), base value, f(x)."""
    nb, m = bg.shape
    w_bg = np.full(nb, 1.0 / nb)
    base = float(w_bg @ predict(bg))
    fx_all = predict(x_rows)
    out = np.zeros((len(x_rows), m))
    rng = np.random.default_rng(seed)
    for r, x in enumerate(x_rows):
        varying = np.where((bg != x).any(axis=0))[0]
        p = len(varying)
        if p == 1:
            out[r, varying[0]] = fx_all[r] - base
        if p < 2:
            continue
        masks, weights = sample_coalitions(p, nsamples, rng)
        synth = np.repeat(bg[None, :, :], len(masks), axis=0)
        for k, mask in enumerate(masks):
            cols = varying[mask > 0]
            synth[k][:, cols] = x[cols]
        v = predict(synth.reshape(-1, m)).reshape(len(masks), nb) @ w_bg
        out[r, varying] = solve_constrained(masks, weights, v, base, fx_all[r])
    return out, base, fx_all


# ----------------------------------------------------------------------------------------------- main

def timed(f):
    w0, c0 = time.perf_counter(), time.process_time()
    result = f()
    return result, (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


def write_csv(path, header, rows):
    with open(path, 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in row])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out-dir', required=True)
    ap.add_argument('--pi-runs', type=int, default=3)
    ap.add_argument('--kernel-runs', type=int, default=1)
    ap.add_argument('--nsamples', type=int, default=0, help='KernelSHAP coalitions per row (default 2M + 2048)')
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    ds = load_breast_cancer()
    names = feature_names(ds.feature_names)
    x_train, x_test, y_train, y_test = train_test_split(ds.data, ds.target, test_size=0.3, random_state=SPLIT_SEED, stratify=ds.target)
    model = RandomForestClassifier(n_estimators=N_TREES, random_state=MODEL_SEED)
    _, fit_ms, _ = timed(lambda: model.fit(x_train, y_train))
    log(f'trained {N_TREES} trees in {fit_ms:.0f} ms')

    onnx_model = forest_to_onnx(model, x_train.shape[1])
    onnx.save(onnx_model, os.path.join(args.out_dir, 'model.onnx'))
    write_csv(os.path.join(args.out_dir, 'data.csv'), names + ['target'], [list(r) + [int(t)] for r, t in zip(x_test, y_test)])
    rng = np.random.default_rng(SHAP_SEED)
    bg_idx = np.sort(rng.choice(len(x_train), N_BACKGROUND, replace=False))
    explain_idx = np.sort(rng.choice(len(x_test), N_EXPLAIN, replace=False))
    bg = x_train[bg_idx]
    write_csv(os.path.join(args.out_dir, 'background.csv'), names, bg)
    with open(os.path.join(args.out_dir, 'explain.json'), 'w') as fh:
        json.dump({'explainRows': [int(i) for i in explain_idx]}, fh)

    proba = model.predict_proba(x_test)[:, 1]
    predict = lambda x: model.predict_proba(x)[:, 1]

    pi_wall, pi_cpu, pi = [], [], None
    for run in range(args.pi_runs):
        pi, w, c = timed(lambda: permutation_importance(model, x_test, y_test, scoring='roc_auc', n_repeats=N_REPEATS, random_state=PI_SEED))
        pi_wall.append(w)
        pi_cpu.append(c)
        log(f'sklearn permutation_importance run {run + 1}: {w:.0f} ms wall, {c:.0f} ms CPU')

    m = x_test.shape[1]
    nsamples = args.nsamples or 2 * m + 2048
    xe = x_test[explain_idx]
    ks_wall, ks_cpu, ks = [], [], None
    for run in range(args.kernel_runs):
        ks, w, c = timed(lambda: kernel_shap(predict, xe, bg, nsamples, SHAP_SEED))
        ks_wall.append(w)
        ks_cpu.append(c)
        log(f'numpy KernelSHAP run {run + 1}: {w:.0f} ms wall, {c:.0f} ms CPU')
    phi, base, fx = ks

    trees = [e.tree_ for e in model.estimators_]
    print(json.dumps({
        'schema': 'mlops-gates/bench-explain-python@1',
        'versions': {'python': platform.python_version(), 'sklearn': sklearn.__version__, 'numpy': np.__version__, 'onnx': onnx.__version__},
        'model': {
            'kind': 'RandomForestClassifier', 'params': {'n_estimators': N_TREES, 'random_state': MODEL_SEED},
            'trees': N_TREES, 'nodes': int(sum(t.node_count for t in trees)), 'maxDepth': int(max(t.max_depth for t in trees)),
            'leaves': int(sum(t.n_leaves for t in trees)), 'fitMs': fit_ms,
        },
        'data': {'dataset': 'sklearn load_breast_cancer', 'trainRows': int(len(x_train)), 'evalRows': int(len(x_test)),
                 'features': m, 'splitSeed': SPLIT_SEED, 'backgroundRows': N_BACKGROUND, 'explainRows': [int(i) for i in explain_idx]},
        'evalAuc': float(roc_auc_score(y_test, proba)),
        'proba': [float(v) for v in proba],
        'permutation': {'wallMs': pi_wall, 'cpuMs': pi_cpu, 'repeats': N_REPEATS, 'seed': PI_SEED, 'scoring': 'roc_auc',
                        'mean': [float(v) for v in pi.importances_mean], 'std': [float(v) for v in pi.importances_std]},
        'kernelShap': {'wallMs': ks_wall, 'cpuMs': ks_cpu, 'nsamples': nsamples, 'baseValue': base,
                       'values': [[float(v) for v in row] for row in phi], 'outputs': [float(v) for v in fx]},
    }))


if __name__ == '__main__':
    main()
