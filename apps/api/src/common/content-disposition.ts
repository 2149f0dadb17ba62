/**
 * A Content-Disposition value for a file name of any script (RFC 6266): `filename="..."` is a plain
 * ASCII fallback for old clients (accents dropped, anything else non-ASCII, quotes, backslashes and
 * `%` replaced by `_`), `filename*=UTF-8''...` the exact name, percent-encoded as RFC 5987 says.
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  const fallback = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (fallback === filename) return `${type}; filename="${filename}"`;
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A download's name: the video's file name without its extension, else the fallback (the job id). */
export function downloadStem(videoFilename: string | null | undefined, fallback: string): string {
  const base = (videoFilename ?? '')
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .trim();
  return base || fallback;
}
