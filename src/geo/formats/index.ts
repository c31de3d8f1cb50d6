/** Layer files in and out: the API the store, jobs and CLI use. */
export {
  readFeatures,
  type FeatureReader,
  type ImportReport,
  type ReadOptions,
  type Rejection,
} from './read.ts';
export { writeFeatures, exportFormatOf, type ExportFormat, type WriteOptions } from './write.ts';
export { inferFields, type FieldSpec, type FieldType } from './schema.ts';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip.ts';
