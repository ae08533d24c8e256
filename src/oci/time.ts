/**
 * A time as Go's RFC 3339 (nano) formatting writes it in image configs: UTC, `Z`, and a
 * fraction only when it is not zero, without trailing zeros (`2023-11-14T22:13:20Z`,
 * `2023-11-14T22:13:20.12Z`).
 */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.(\d*?)0*Z$/, (_, frac: string) => (frac === '' ? 'Z' : `.${frac}Z`));
}
