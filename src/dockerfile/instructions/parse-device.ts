import { parseCsvFields, parseGoBool } from './go-values.ts';
import { instructionError } from './instruction-error.ts';
import { withSuggestion } from './suggest.ts';

/** A `RUN --device` request (a CDI device name), as BuildKit's instructions.Device. */
export interface Device {
  name: string;
  required: boolean;
}

/**
 * Parses one `--device` value: CSV fields; the first bare field (or `name=`) is the device
 * name, `required` or `required=BOOL` marks it required; a field with an unknown key becomes
 * the name when none was set yet (CDI names may contain `=`).
 */
export function parseDevice(val: string): Device {
  let fields: string[];
  try {
    fields = parseCsvFields(val);
  } catch (e) {
    throw instructionError('E_DOCKERFILE_DEVICE', `failed to parse csv devices: ${(e as Error).message}`, e);
  }
  const d: Device = { name: '', required: false };
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq === -1 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq === -1 ? '' : field.slice(eq + 1);
    if (eq === -1) {
      if (key === 'required') {
        d.required = true;
        continue;
      }
      if (d.name === '') {
        d.name = field;
        continue;
      }
      throw instructionError('E_DOCKERFILE_DEVICE', `invalid field '${field}' must be a key=value pair`);
    }
    switch (key) {
      case 'name':
        if (d.name !== '')
          throw instructionError('E_DOCKERFILE_DEVICE', `device name already set to ${d.name}`);
        d.name = value;
        break;
      case 'required':
        try {
          d.required = parseGoBool(value);
        } catch {
          throw instructionError('E_DOCKERFILE_DEVICE', `invalid value for ${key}: ${value}`);
        }
        break;
      default:
        if (d.name === '') {
          d.name = field;
          break;
        }
        throw instructionError(
          'E_DOCKERFILE_DEVICE',
          withSuggestion(`unexpected key '${key}' in '${field}'`, key, ['name', 'required'], true),
        );
    }
  }
  return d;
}
