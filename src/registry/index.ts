export { type Challenge, parseChallenges } from './challenge.ts';
export type { RegistryAccessOptions } from './client-options.ts';
export {
  type Credentials,
  DOCKER_HUB_SERVER,
  type DockerConfigLocation,
  dockerConfigPath,
  resolveCredentials,
  staticCredentials,
} from './docker-config.ts';
export { apiHost, isPlainHttpAllowed } from './endpoint.ts';
export { RegistryErrorCode } from './errors.ts';
export { type LoginOptions, login, logout } from './login.ts';
export {
  formatPlatform,
  hostPlatform,
  type PlatformSpec,
  parsePlatform,
  platformMatches,
  selectPlatform,
} from './platform.ts';
export {
  type PulledImage,
  type PullOptions,
  pullImage,
  type ResolvedImage,
  type ResolveOptions,
  resolveImage,
} from './pull-image.ts';
export { type PushOptions, type PushResult, pushImage } from './push-image.ts';
export { redactHeaders, redactUrl } from './redact.ts';
export { familiarName, familiarString, parseReference, type Reference, withDigest } from './reference.ts';
export { type FetchImpl, RegistryClient, type RegistryClientOptions } from './registry-client.ts';
