import { openVideoFile, probeVideo, streamFrames } from '@masklet/video';
import { spawnSync } from 'node:child_process';
async function main() {
  const mp4 = '/tmp/syn48/clip.mp4';
  for (const ext of ['mkv', 'ts']) {
    const other = `/tmp/clip48.${ext}`;
    spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', mp4, '-c', 'copy', other]);
    console.log(ext, await probeVideo(other));
    const src = await openVideoFile(other, { reverseChunkFrames: 8 });
    console.log(src.info);
    for (const i of [30, 13, 12, 11, 47, 0]) { console.log('read', i); await src.readSquare(i, 128); }
    await src.close();
  }
  console.log('done');
}
main();
