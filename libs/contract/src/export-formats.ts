/**
 * The one registry of export formats. A format's public name (API, CLI, SDK), its Prisma enum value,
 * its file name, content type and accepted aliases are named here and nowhere else; the API's schema
 * enum, the queue payload enum and the worker's writer table (`apps/worker/src/export/writers.ts`,
 * typed as exhaustive over `ExportKind`) are derived from it, and a unit test checks the Prisma enum
 * against it. Adding a format here without a writer or a migration fails the typecheck or that test.
 */
export const EXPORT_FORMATS = [
  {
    name: 'coco',
    kind: 'COCO_JSON',
    fileName: 'annotations-coco.json',
    contentType: 'application/json',
    aliases: ['coco_json'],
    description:
      'COCO video annotations (YouTube-VIS style): one category per label, one track id per object, compressed RLE per frame',
  },
  {
    name: 'davis',
    kind: 'DAVIS_PNG_ZIP',
    fileName: 'masks-davis.zip',
    contentType: 'application/zip',
    aliases: ['davis_png_zip', 'png_zip', 'youtube_vos'],
    description: 'DAVIS / YouTube-VOS palette PNGs (00000.png ...), palette index = object id',
  },
  {
    name: 'yolo',
    kind: 'YOLO_SEG_ZIP',
    fileName: 'labels-yolo.zip',
    contentType: 'application/zip',
    aliases: ['yolo_seg'],
    description:
      'Ultralytics YOLO segmentation: labels/00000.txt per frame (class x1 y1 x2 y2 ... normalised polygon), data.yaml with the class names',
  },
  {
    name: 'cvat',
    kind: 'CVAT_VIDEO_XML',
    fileName: 'annotations-cvat.xml',
    contentType: 'application/xml',
    aliases: ['cvat_xml', 'cvat_video'],
    description: 'CVAT for video 1.1 XML: one track per object, a polygon per frame with outside / keyframe flags',
  },
  {
    name: 'mp4',
    kind: 'OVERLAY_MP4',
    fileName: 'overlay.mp4',
    contentType: 'video/mp4',
    aliases: ['overlay_mp4', 'overlay'],
    description: 'The video with each object tinted in its DAVIS colour (H.264)',
  },
] as const;

export type ExportFormatSpec = (typeof EXPORT_FORMATS)[number];
export type ExportFormatName = ExportFormatSpec['name'];
export type ExportFormatKind = ExportFormatSpec['kind'];

export const EXPORT_FORMAT_NAMES = EXPORT_FORMATS.map((f) => f.name) as [ExportFormatName, ...ExportFormatName[]];
export const EXPORT_FORMAT_KINDS = EXPORT_FORMATS.map((f) => f.kind) as [ExportFormatKind, ...ExportFormatKind[]];
/** Every spelling a job's `options.outputs` accepts: the names and their aliases. */
export const EXPORT_FORMAT_SPELLINGS = EXPORT_FORMATS.flatMap((f) => [f.name, ...f.aliases]) as [string, ...string[]];

const byName = new Map<string, ExportFormatSpec>();
for (const f of EXPORT_FORMATS) for (const n of [f.name, ...f.aliases]) byName.set(n, f);
const byKind = new Map<string, ExportFormatSpec>(EXPORT_FORMATS.map((f) => [f.kind, f]));

/** The format a name or alias (any case) stands for, or undefined. */
export function exportFormat(name: string): ExportFormatSpec | undefined {
  return byName.get(name.toLowerCase());
}

export function exportFormatOfKind(kind: string): ExportFormatSpec {
  const f = byKind.get(kind);
  if (!f) throw new Error(`unknown export kind ${kind}`);
  return f;
}
