/** Runner for runDevice.json: RUN --device values → {Name, Required} or an exact error. */
import { parseDevice } from '../../../src/dockerfile/instructions/parse-device.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface DeviceCase {
  id: string;
  input: string;
  expected?: { Name: string; Required: boolean };
  expect_error?: boolean;
  error_exact?: string;
}

function judge(c: DeviceCase): CaseOutcome {
  try {
    const d = parseDevice(c.input);
    if (c.expect_error || c.error_exact !== undefined)
      return { id: c.id, status: 'fail', detail: 'expected an error' };
    const want = c.expected!;
    if (d.name !== want.Name || d.required !== want.Required) {
      return { id: c.id, status: 'fail', detail: `got ${JSON.stringify(d)}, want ${JSON.stringify(want)}` };
    }
    return { id: c.id, status: 'pass' };
  } catch (e) {
    const msg = (e as Error).message;
    if (c.error_exact !== undefined) {
      return msg === c.error_exact
        ? { id: c.id, status: 'pass' }
        : {
            id: c.id,
            status: 'fail',
            detail: `error ${JSON.stringify(msg)}, want ${JSON.stringify(c.error_exact)}`,
          };
    }
    return c.expect_error
      ? { id: c.id, status: 'pass' }
      : { id: c.id, status: 'fail', detail: `unexpected error: ${msg}` };
  }
}

export const run: Runner = (data) => (data as { cases: DeviceCase[] }).cases.map(judge);
