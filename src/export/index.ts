export { exportDockerArchive, type ExportDockerArchiveOptions, splitTag } from './export-docker-archive.ts';
export { exportLocal, type ExportLocalOptions } from './export-local.ts';
export { exportOciLayout, type ExportOciLayoutOptions, REF_NAME_ANNOTATION } from './export-oci-layout.ts';
