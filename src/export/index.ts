export { type ExportDockerArchiveOptions, exportDockerArchive, splitTag } from './export-docker-archive.ts';
export { type ExportLocalOptions, exportLocal } from './export-local.ts';
export { type ExportOciLayoutOptions, exportOciLayout, REF_NAME_ANNOTATION } from './export-oci-layout.ts';
