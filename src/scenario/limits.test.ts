import { describe, expect, it } from 'vitest';
import { MAX_DISK_BYTES, MAX_INPUT_CHARS, MAX_SCENARIO_BYTES, diskBytesFor, diskImageProblem, scenarioFileProblem, splitInput } from './limits.ts';

describe('file limits checked in the page before reading', () => {
  it('refuse an oversize disk image with the limit and the size', () => {
    expect(diskImageProblem({ name: 'big.img', size: MAX_DISK_BYTES + 1 })).toBe('big.img: disk images are limited to 64 MiB (67108864 bytes); this file is 67108865 bytes');
    expect(diskImageProblem({ name: 'ok.img', size: MAX_DISK_BYTES })).toBeNull();
    expect(diskImageProblem({ name: 'empty.img', size: 0 })).toContain('the file is empty');
  });

  it('refuse an oversize or empty scenario file', () => {
    expect(scenarioFileProblem({ name: 'big.json', size: MAX_SCENARIO_BYTES + 1 })).toBe('big.json: scenario files are limited to 100 MiB (104857600 bytes); this file is 104857601 bytes');
    expect(scenarioFileProblem({ name: 'ok.json', size: 10 })).toBeNull();
    expect(scenarioFileProblem({ name: 'empty.json', size: 0 })).toContain('the file is empty');
  });

  it('round a disk up to whole sectors', () => {
    expect(diskBytesFor(1)).toBe(512);
    expect(diskBytesFor(512)).toBe(512);
    expect(diskBytesFor(513)).toBe(1024);
  });
});

describe('long pastes are split to fit a recording', () => {
  it('keeps every piece within the recording limit, and the text whole', async () => {
    const { validateRecording } = await import('../trace/recording.ts');
    const rec = (text: string) => validateRecording({ v: 1, preset: 'console', inputs: [[null, 0, text]] });
    expect(rec('x'.repeat(MAX_INPUT_CHARS)).ok).toBe(true);
    expect(rec('x'.repeat(MAX_INPUT_CHARS + 1)).ok).toBe(false);
    const text = 'y'.repeat(1024 * 1024);
    const parts = splitInput(text);
    expect(parts.map((p) => p.length)).toEqual([MAX_INPUT_CHARS, 1024 * 1024 - MAX_INPUT_CHARS]);
    expect(parts.join('')).toBe(text);
    expect(splitInput('short')).toEqual(['short']);
  });

  it('never splits a surrogate pair', () => {
    const parts = splitInput('ab😀cd', 3);
    expect(parts).toEqual(['ab', '😀c', 'd']);
    expect(parts.join('')).toBe('ab😀cd');
  });
});
