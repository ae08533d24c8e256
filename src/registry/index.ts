export { parseChallenges, type Challenge } from './challenge.ts';
export type { RegistryAccessOptions } from './client-options.ts';
export {
  DOCKER_HUB_SERVER,
  dockerConfigPath,
  resolveCredentials,
  staticCredentials,
  type Credentials,
  type DockerConfigLocation,
} from './docker-config.ts';
export { apiHost, isPlainHttpAllowed } from './endpoint.ts';
export { RegistryErrorCode } from './errors.ts';
export { login, logout, type LoginOptions } from './login.ts';
export {
  formatPlatform,
  hostPlatform,
  parsePlatform,
  platformMatches,
  selectPlatform,
  type PlatformSpec,
} from './platform.ts';
export {
  pullImage,
  resolveImage,
  type PulledImage,
  type PullOptions,
  type ResolvedImage,
  type ResolveOptions,
} from './pull-image.ts';
export { pushImage, type PushOptions, type PushResult } from './push-image.ts';
export { redactHeaders, redactUrl } from './redact.ts';
export { familiarName, familiarString, parseReference, withDigest, type Reference } from './reference.ts';
export { RegistryClient, type FetchImpl, type RegistryClientOptions } from './registry-client.ts';
