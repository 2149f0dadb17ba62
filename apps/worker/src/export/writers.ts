import type { ExportKind } from '@masklet/db';
import { writeCocoJson } from './coco-json';
import { writeCvatXml } from './cvat-xml';
import { writeDavisZip } from './davis-zip';
import type { ExportWriter } from './export-input';
import { writeOverlayMp4 } from './overlay-mp4';
import { writeYoloZip } from './yolo-zip';

/**
 * The writer of each format of libs/contract's registry, keyed by its enum value. Typed over every
 * `ExportKind`, so a format added to the registry and the schema without a writer does not compile.
 */
export const EXPORT_WRITERS: { readonly [K in ExportKind]: ExportWriter } = {
  COCO_JSON: writeCocoJson,
  DAVIS_PNG_ZIP: writeDavisZip,
  YOLO_SEG_ZIP: writeYoloZip,
  CVAT_VIDEO_XML: writeCvatXml,
  OVERLAY_MP4: writeOverlayMp4,
};
