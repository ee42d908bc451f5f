/**
 * The emulator's control API, on the same port and without a token (the server listens on loopback only):
 *   POST /_emulator/faults (a FaultSpec or an array) · GET / DELETE /_emulator/faults[/<id>]
 *   GET / DELETE /_emulator/requests · GET /_emulator/stats · POST /_emulator/clock {"advanceSec": n}
 *   POST / GET / DELETE /_emulator/monitoring (metric series and activity log events; see monitor.ts)
 */
import type { EmulatorContext } from './context';
import { parseFaultSpec, type FaultKind, type Faults, type Service } from './faults';
import { json, type EmuRequest, type Reply } from './http';
import { monitoringControl } from './monitor';

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when the connection was reset by a fault. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  service: Service;
  fault?: FaultKind;
}

export function controlRoute(deps: { faults: Faults; log: RequestRecord[]; ctx: EmulatorContext }): (req: EmuRequest) => Reply {
  const { faults, log, ctx } = deps;
  return function control(req: EmuRequest): Reply {
    const [, what, id] = req.segments;
    const m = req.method;
    if (what === 'faults') {
      if (m === 'POST') {
        try {
          const parsed = JSON.parse(req.body.toString('utf8') || 'null') as unknown;
          const specs = (Array.isArray(parsed) ? parsed : [parsed]).map(parseFaultSpec);
          return json(201, { ids: specs.map((s) => faults.add(s)) });
        } catch (e) {
          return json(400, { error: { code: 'InvalidFault', message: (e as Error).message } });
        }
      }
      if (m === 'GET') return json(200, { value: faults.list() });
      if (m === 'DELETE' && id) return faults.remove(id) ? { status: 204 } : json(404, { error: { code: 'NotFound', message: `no fault ${id}` } });
      if (m === 'DELETE') {
        faults.clear();
        return { status: 204 };
      }
    }
    if (what === 'requests' && m === 'GET') return json(200, { value: log });
    if (what === 'requests' && m === 'DELETE') {
      log.length = 0;
      return { status: 204 };
    }
    if (what === 'stats' && m === 'GET') return json(200, { ...ctx.stats });
    if (what === 'monitoring') return monitoringControl(ctx, req);
    if (what === 'clock' && m === 'POST') {
      try {
        const body = JSON.parse(req.body.toString('utf8') || '{}') as { advanceSec?: unknown };
        if (typeof body.advanceSec !== 'number') throw new Error('advanceSec (number) is required');
        ctx.clock.offsetSec += body.advanceSec;
        return json(200, { offsetSec: ctx.clock.offsetSec });
      } catch (e) {
        return json(400, { error: { code: 'InvalidClock', message: (e as Error).message } });
      }
    }
    return json(404, { error: { code: 'NotFound', message: `unknown control route ${req.method} ${req.path}` } });
  };
}
