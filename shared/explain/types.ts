/**
 * The explainability contract: what the data loaders, the ONNX layer, the explainers, the gate and the report
 * exchange. Pure types, no I/O. Layout:
 *
 *   shared/explain/data/      CSV and Parquet into a Table; columns checked against the model's inputs
 *   shared/explain/onnx/      ONNX graph reading (protobuf) into ModelInfo; runtime backends behind Predictor
 *   shared/explain/methods/   permutation importance, KernelSHAP, TreeSHAP, linear SHAP, partial dependence, metrics
 *   shared/explain/report/    HTML (inline SVG charts), Markdown summary, model card
 *   shared/gates/explain/     the ExplainabilityReport gate (inputs, thresholds, run)
 *
 * Matrices are row-major Float64Array (rows × cols): explainers build one batch and make one model call per
 * explained row or per permutation, never one per sample.
 */

/** A row-major numeric matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  /** rows × cols values, row-major. */
  data: Float64Array;
}

/** A data file as the loaders read it: named columns; numeric columns as numbers, others as strings. */
export interface Table {
  columns: string[];
  /** One array per column, same order as `columns`; every array has `rowCount` entries. */
  values: (Float64Array | string[])[];
  rowCount: number;
  /** Where it came from, for messages ("data.csv", "azureml:credit-data:3"). */
  source: string;
}

/** The features the model takes, in the model's order, plus the label when the data has it. */
export interface FeatureData {
  featureNames: string[];
  x: Matrix;
  /** The target column (numbers; class labels mapped to their index in `classLabels`). */
  y?: Float64Array;
  classLabels?: (string | number)[];
}

export type TaskType = 'regression' | 'classification';

/** Element type of an ONNX tensor, by its TensorProto.DataType name. */
export type OnnxElemType =
  | 'float' | 'double' | 'int64' | 'int32' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'uint32' | 'uint64'
  | 'bool' | 'string' | 'float16' | 'bfloat16';

export interface OnnxValueInfo {
  name: string;
  /** 'tensor', or 'sequence'/'map' for ZipMap-style outputs (a sequence of maps). */
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  elemType?: OnnxElemType;
  /** Dimensions; a string is a symbolic dimension (batch), -1 when unknown. */
  shape?: (number | string)[];
}

/** One decision tree of an ai.onnx.ml TreeEnsemble, flattened into parallel arrays indexed by node. */
export interface Tree {
  /** Feature index tested at each node (-1 for leaves). */
  feature: Int32Array;
  threshold: Float64Array;
  /** BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ, or LEAF. */
  mode: string[];
  /** Child taken when the test is true / false (-1 for leaves). */
  trueChild: Int32Array;
  falseChild: Int32Array;
  /** Whether a missing (NaN) value follows the true branch. */
  missingTracksTrue: Uint8Array;
  /** Leaf values, node-major: leafValues[node * targets + target] (0 for inner nodes). */
  leafValues: Float64Array;
}

/** A TreeEnsembleRegressor / TreeEnsembleClassifier, enough to evaluate and to run TreeSHAP exactly. */
export interface TreeEnsemble {
  op: 'TreeEnsembleRegressor' | 'TreeEnsembleClassifier';
  trees: Tree[];
  /** Outputs before the post transform (1 for regressors and binary one-column classifiers). */
  targets: number;
  /** Added to each target's sum (base_values); zeros when absent. */
  baseValues: Float64Array;
  aggregate: 'SUM' | 'AVERAGE' | 'MIN' | 'MAX';
  postTransform: 'NONE' | 'LOGISTIC' | 'SOFTMAX' | 'SOFTMAX_ZERO' | 'PROBIT';
  classLabels?: (string | number)[];
  /** The graph input whose columns the trees' feature ids index (one 2-D input). */
  inputName: string;
}

/** A linear graph (LinearRegressor / LinearClassifier, or MatMul + Add [+ Sigmoid]) in closed form. */
export interface LinearModel {
  /** coefficients[target * features + feature] */
  coefficients: Float64Array;
  intercepts: Float64Array;
  targets: number;
  /** The link between the linear score and the output explained by default. */
  postTransform: 'NONE' | 'LOGISTIC' | 'SOFTMAX';
}

/** What reading the ONNX file told us, before any runtime loads it. */
export interface ModelInfo {
  /** sha256 of the file, hex. */
  sha256: string;
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer?: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Non-standard operator domains (not '', 'ai.onnx', 'ai.onnx.ml'), which the runtimes may not have. */
  customDomains: string[];
  /** Output names produced by a ZipMap node (a sequence of maps, not a tensor). */
  zipMapOutputs: string[];
  treeEnsemble?: TreeEnsemble;
  linear?: LinearModel;
  /** Class labels of a classifier (from the TreeEnsemble, LinearClassifier or ZipMap), in probability-column order. */
  classLabels?: (string | number)[];
}

/**
 * The model as the explainers see it: a batched function from feature rows to one number per row (the
 * regression value, or the probability of the explained class). One call = one runtime session run.
 */
export interface Predictor {
  readonly featureNames: string[];
  /** x.cols === featureNames.length; returns x.rows values. */
  predict(x: Matrix): Promise<Float64Array>;
  /** The class explained (classifiers): its index and label. */
  readonly explainedClass?: { index: number; label: string | number };
  /** What the number is: 'value' (regression), 'probability', or 'margin' (logit / raw score). */
  readonly outputSpace: OutputSpace;
  close(): Promise<void>;
}
export type OutputSpace = 'value' | 'probability' | 'margin';

/** Runtime that loads an ONNX model into a Predictor. 'web' (WebAssembly) is the default. */
export type BackendName = 'web' | 'node';

export interface PredictorOptions {
  backend: BackendName;
  /** Which output to read; default: the probabilities output for classifiers, the first for regressors. */
  outputName?: string;
  /** Explained class index for classifiers; default: the positive class (index 1) of a binary model. */
  classIndex?: number;
  featureNames: string[];
}

// ------------------------------------------------------------------------------------------- results

export type MetricName =
  | 'r2' | 'rmse' | 'mae'
  | 'accuracy' | 'auc' | 'logLoss' | 'f1' | 'precision' | 'recall';

/** Permutation importance: drop in `metric` when one feature's column is shuffled, over `repeats` shuffles. */
export interface PermutationImportance {
  featureNames: string[];
  mean: number[];
  std: number[];
  metric: MetricName;
  /** The metric on unshuffled data. */
  baseline: number;
  repeats: number;
  /** How shuffled predictions were obtained: one model call per shuffle, or from a tree ensemble's own trees. */
  method?: 'model-calls' | 'tree';
}

export type ShapMethod = 'tree' | 'linear' | 'kernel-exact' | 'kernel-sampled';

export interface ShapResult {
  featureNames: string[];
  /** Expected model output over the background (in `outputSpace`). */
  baseValue: number;
  /** Row indices (into the data file) of the explained rows. */
  rowIndices: number[];
  /** rows × features: values[r][f]. Efficiency: baseValue + Σ_f values[r][f] = f(x_r) (in outputSpace). */
  values: number[][];
  /** The model output for each explained row, in outputSpace. */
  outputs: number[];
  method: ShapMethod;
  outputSpace: OutputSpace;
  /** Background rows used, and how they were chosen. */
  background: { rows: number; method: 'all' | 'sample' | 'kmeans' };
  /** KernelSHAP sampled: coalitions evaluated. */
  samples?: number;
}

export interface PartialDependence {
  grid: number[];
  average: number[];
  /** ICE lines: one per sampled row, values on `grid`. */
  ice?: number[][];
  /** Rows the ICE lines belong to. */
  iceRows?: number[];
}

export type Metrics = Partial<Record<MetricName, number>> & { rows: number };

/** The explain JSON (the CLI's --json and the task's report data). Field names are part of the contract. */
export interface ExplanationResult {
  schema: 'mlops-gates/explanation@1';
  model: { path: string; sha256: string; name?: string; version?: string; outputName: string; backend: BackendName };
  taskType: TaskType;
  seed: number;
  featureNames: string[];
  target: string;
  rows: number;
  permutationImportance: PermutationImportance;
  shap: ShapResult;
  partialDependence: Record<string, PartialDependence>;
  metrics: Metrics;
  /** Against the champion model version, when one was compared. */
  champion?: ChampionComparison;
  /** Target distribution and prediction-quality charts' data (when the data has a target and the model scored it). */
  performance?: PerformanceData;
  /** Explanations that could not be computed, and other notes a reviewer must see. */
  warnings: string[];
  timings: Record<string, number>;
}

/** A histogram: counts[i] is the number of values in [edges[i], edges[i+1]) (the last bin is closed). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** What the report's target-distribution and performance charts draw; computed by methods/performance.ts. */
export interface PerformanceData {
  /** Classification: rows per class (in class-index order); regression: a histogram of the target. */
  targetDistribution: { labels: (string | number)[]; counts: number[] } | Histogram;
  /**
   * Classification: matrix[true][predicted]. With `threshold`, the explained class's probability is cut at it
   * (binary: the two classes; multiclass: explained class vs the rest); without, the argmax class.
   */
  confusion?: { labels: (string | number)[]; matrix: number[][]; threshold?: number };
  /** Classification: the explained class's predicted probability, one histogram per true class (targetDistribution's labels). */
  probabilityHistogram?: { edges: number[]; countsByClass: number[][]; labels: (string | number)[] };
  /** Regression: actual − predicted. */
  residualHistogram?: Histogram;
  /** Regression: at most 500 points, a seeded sample of rows in row order. */
  predictedVsActual?: { actual: number[]; predicted: number[] };
}

export interface ChampionComparison {
  model: { name?: string; version?: string; sha256: string };
  metrics: Metrics;
  /** Per feature: challenger's normalised importance minus champion's (normalised to sum 1 over |mean|). */
  importanceShift: Record<string, number>;
  /** max |shift| over features. */
  maxShift: number;
}
