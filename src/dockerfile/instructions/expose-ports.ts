import { instructionError } from './instruction-error.ts';
import { isIP } from './parse-ip.ts';

/** One EXPOSE word split as docker-run style `[ip:][hostPort:]containerPort[/proto]`. */
export interface PortSpec {
  /** `port/proto` keys for the image's ExposedPorts, ranges expanded, proto lower-cased. */
  ports: string[];
  ip: string;
  hostPort: string;
  /** The protocol as written (`tcp` when absent), for the ExposeProtoCasing check. */
  proto: string;
}

function fail(message: string): never {
  throw instructionError('E_DOCKERFILE_EXPOSE', message);
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  if (n === 1) return ['', '', parts[0]!];
  if (n === 2) return ['', parts[0]!, parts[1]!];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2]!, parts[n - 1]!];
}

function parsePortNumber(raw: string): number {
  if (raw === '') throw new Error('value is empty');
  if (!/^[+-]?[0-9]+$/.test(raw)) throw new Error('invalid syntax');
  const n = Number(raw);
  if (n < 0 || n > 65535) throw new Error('value out of range (0–65535)');
  return n;
}

/** Parses `8000` or `8000-9000`; throws a plain Error with Go's message. */
function parsePortRange(ports: string): [number, number] {
  if (ports === '') throw new Error('empty string specified for ports');
  const dash = ports.indexOf('-');
  const start = dash === -1 ? ports : ports.slice(0, dash);
  const end = dash === -1 ? '' : ports.slice(dash + 1);
  let s: number;
  try {
    s = parsePortNumber(start);
  } catch (e) {
    throw new Error(`invalid start port '${start}': ${(e as Error).message}`);
  }
  if (dash === -1 || start === end) return [s, s];
  let e: number;
  try {
    e = parsePortNumber(end);
  } catch (err) {
    throw new Error(`invalid end port '${end}': ${(err as Error).message}`);
  }
  if (e < s) throw new Error(`invalid port range: ${ports}`);
  return [s, e];
}

/** Splits and validates one spec, as BuildKit's portSpecs.parsePort (convert_expose.go). */
export function parsePortSpec(rawPort: string): PortSpec {
  let [ip, hostPort, containerPort] = splitParts(rawPort);
  const slash = containerPort.indexOf('/');
  const port = slash === -1 ? containerPort : containerPort.slice(0, slash);
  let proto = slash === -1 ? '' : containerPort.slice(slash + 1);
  if (port === '') fail(`invalid port: ${JSON.stringify(rawPort)}: no port specified`);
  const lp = proto.toLowerCase();
  if (lp === '') proto = 'tcp';
  else if (lp !== 'tcp' && lp !== 'udp' && lp !== 'sctp')
    fail(`invalid port: ${JSON.stringify(rawPort)}: invalid proto: ${proto}`);
  containerPort = port;

  const rawIp = ip;
  if (ip !== '' && ip[0] === '[') {
    const close = ip.indexOf(']');
    if (close === -1 || close !== ip.length - 1) {
      fail(`invalid IP address ${ip}: address ${ip}: missing ']' in address`);
    }
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && !isIP(ip)) fail(`invalid IP address: ${ip}`);

  let start: number;
  let end: number;
  try {
    [start, end] = parsePortRange(containerPort);
  } catch {
    return fail(`invalid containerPort: ${containerPort}`);
  }
  if (hostPort !== '') {
    let hs: number;
    let he: number;
    try {
      [hs, he] = parsePortRange(hostPort);
    } catch {
      return fail(`invalid hostPort: ${hostPort}`);
    }
    if (end - start !== he - hs && end !== start) {
      fail(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    }
  }
  const ports: string[] = [];
  for (let p = start; p <= end; p++) ports.push(`${p}/${proto.toLowerCase()}`);
  return { ports, ip: rawIp, hostPort, proto };
}

/** One EXPOSE spec → `port/proto` keys (proto defaults to tcp, ranges expanded). */
export function parsePort(rawPort: string): string[] {
  return parsePortSpec(rawPort).ports;
}

/** Every spec in order → the concatenated `port/proto` keys. */
export function parsePorts(ports: readonly string[]): string[] {
  return ports.flatMap((p) => parsePort(p));
}
