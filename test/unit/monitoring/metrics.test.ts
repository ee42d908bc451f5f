import * as assert from 'node:assert/strict';
import { intervalMinutes, trafficFromMetrics, type MetricsResponse } from '../../../shared/monitoring/metrics';
import { EP_ID } from './fixtures';

const status = (code: string) => ({ metadatavalues: [{ name: { value: 'statuscode', localizedValue: 'statuscode' }, value: code }] });

function body(requests: unknown, latency: unknown, interval = 'PT1H'): MetricsResponse {
  const value = [];
  if (requests) value.push({ name: { value: 'RequestsPerMinute' }, errorCode: 'Success', ...(requests as object) });
  if (latency) value.push({ name: { value: 'RequestLatency' }, errorCode: 'Success', ...(latency as object) });
  return { interval, value } as MetricsResponse;
}

describe('monitoring: metric answers to window totals', () => {
  it('sums totals per status code across buckets', () => {
    const t = trafficFromMetrics(EP_ID, 'ep', body({
      timeseries: [
        { ...status('200'), data: [{ timeStamp: 'a', total: 10, count: 5, average: 2 }, { timeStamp: 'b', total: 5 }, { timeStamp: 'c' }] },
        { ...status('401'), data: [{ timeStamp: 'a', total: 7 }] },
      ],
    }, { timeseries: [] }));
    assert.deepEqual(t.requestsByStatus, { '200': 15, '401': 7 });
    assert.equal(t.latencyMs, undefined);
    assert.deepEqual(t.unavailable, []);
  });

  it('uses average × count without total, and average × bucket minutes without count', () => {
    const t = trafficFromMetrics(EP_ID, 'ep', body({ timeseries: [{ ...status('200'), data: [{ average: 2.5, count: 4 }, { average: 0.5 }] }] }, { timeseries: [] }));
    assert.deepEqual(t.requestsByStatus, { '200': 10 + 30 });
  });

  it('an empty split (no traffic) is an empty table, not missing data', () => {
    const t = trafficFromMetrics(EP_ID, 'ep', body({ timeseries: [] }, { timeseries: [{ metadatavalues: [], data: [{ timeStamp: 'a' }] }] }));
    assert.deepEqual(t.requestsByStatus, {});
    assert.equal(t.latencyMs, undefined);
  });

  it('weights latency by samples', () => {
    const t = trafficFromMetrics(EP_ID, 'ep', body({ timeseries: [] }, {
      timeseries: [{ metadatavalues: [], data: [{ average: 100, count: 3 }, { average: 500, count: 1 }, { total: 600, count: 2, average: 300 }, {}] }],
    }));
    assert.equal(t.latencyMs, (300 + 500 + 600) / 6);
  });

  it('records a metric Azure Monitor could not give, and one it did not return', () => {
    const b = body({ timeseries: [], errorCode: 'InvalidSamplingType', errorMessage: 'Sampling type is not found.' }, undefined);
    const t = trafficFromMetrics(EP_ID, 'ep', b);
    assert.equal(t.requestsByStatus, undefined);
    assert.deepEqual(t.unavailable, ['RequestsPerMinute: InvalidSamplingType (Sampling type is not found.)', 'RequestLatency was not returned']);
  });

  it('reads ISO 8601 grains', () => {
    assert.equal(intervalMinutes('PT1H'), 60);
    assert.equal(intervalMinutes('PT5M'), 5);
    assert.equal(intervalMinutes('P1D'), 1440);
    assert.equal(intervalMinutes('P1DT2H30M'), 1590);
    assert.equal(intervalMinutes('FULL'), undefined);
    assert.equal(intervalMinutes('P'), undefined);
  });
});
