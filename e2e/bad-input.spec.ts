/**
 * Bad input (issue #7): scenario files and disk images of the wrong type, too
 * large, truncated or with unknown fields, and a bad link. Each is refused
 * with a message naming the problem, and the running session stays exactly
 * as it was: same state hash, still running, still answering the keyboard.
 */
import { closeSync, mkdtempSync, openSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { consoleOf, openPreset, terminalLines, typeLine, waitIdle } from './page-helpers.ts';
import { settledHash } from './fault-helpers.ts';

/** A sparse file of `size` bytes (zeros): big files without writing them. */
function sparseFile(name: string, size: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lguest-lab-e2e-')), name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e1f3a50000000049454e44ae426082', 'hex');

/**
 * The new session booted (its driver printed the disk's size) and is idle.
 * Keys typed before the guest binds its console input buffer are discarded by
 * the Launcher ("console: no dma buffer!"), as in lguest, so wait for the prompt.
 */
async function bootedWithDisk(page: Page, driverLine: string): Promise<void> {
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText(driverLine, { timeout: 20_000 });
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('lguest#');
  await waitIdle(page);
}

type FileSpec = { name: string; mimeType: string; buffer: Buffer } | string;

/** Refused with `message`; the session is untouched (hash, running) and the keyboard still works. */
async function expectRefused(page: Page, input: 'scenario-file' | 'disk-file', file: FileSpec, message: string | RegExp): Promise<void> {
  const before = await settledHash(page);
  await page.getByTestId(input).setInputFiles(file);
  const err = page.getByTestId('load-error');
  await expect(err).toContainText(message);
  expect(await settledHash(page)).toEqual(before);
  await expect(page.getByTestId('status')).toHaveAttribute('data-running', 'true');
  await err.getByRole('button', { name: 'Dismiss' }).click();
  await expect(err).toHaveCount(0);
}

test('bad scenario files are refused with their problem; the session stays as it was', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo session before');
  await expect.poll(() => terminalLines(page, 0)).toContain('session before');
  const json = (o: unknown, name: string): FileSpec => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(o)) });
  const full = JSON.stringify({ name: 'two', guests: [{ kernel: 'lguest' }, { kernel: 'lguest' }] });

  await expectRefused(page, 'scenario-file', { name: 'picture.png', mimeType: 'image/png', buffer: PNG }, 'picture.png: this is not a text file (it holds binary data); open a scenario .json file');
  await expectRefused(page, 'scenario-file', { name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from(full.slice(0, 30)) }, /^Could not load: cut\.json: not valid JSON: /);
  await expectRefused(page, 'scenario-file', json({ guests: [{ kernel: 'lguest', colour: 'red' }] }, 'extra.json'), 'extra.json: guests[0]: Unrecognized key: "colour"');
  await expectRefused(page, 'scenario-file', json({ guests: [{ kernel: 'lguest' }], speed: 'fast' }, 'top.json'), 'top.json: (scenario): Unrecognized key: "speed"');
  await expectRefused(page, 'scenario-file', json([1, 2, 3], 'list.json'), 'list.json: (scenario): Invalid input: expected object, received array');
  await expectRefused(page, 'scenario-file', json({ guests: [{ devices: [{ type: 'disk' }] }] }, 'disk.json'), 'disk.json: guests[0].devices[0].type: unknown device type; use block or net (the console is always there)');
  await expectRefused(page, 'scenario-file', json({ guests: [{ devices: [{ type: 'block', size: 128 * 1024 * 1024 }] }] }, 'huge-disk.json'), 'huge-disk.json: guests[0].devices[0].size: disk images are limited to 67108864 bytes (64 MiB)');
  await expectRefused(page, 'scenario-file', { name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) }, 'empty.json: the file is empty');
  await expectRefused(page, 'scenario-file', sparseFile('big.json', 100 * 1024 * 1024 + 1), 'big.json: scenario files are limited to 100 MiB (104857600 bytes); this file is 104857601 bytes');

  await typeLine(page, 0, 'echo session after');
  await expect.poll(() => terminalLines(page, 0)).toContain('session after');
});

test('disk images: an oversize, empty or misplaced one is refused; a good one boots with the disk', async ({ page }) => {
  // The console preset has no block device to put a disk on.
  await openPreset(page, 'console');
  await expectRefused(page, 'disk-file', { name: 'disk.img', mimeType: 'application/octet-stream', buffer: Buffer.from('abc') }, 'disk.img: this scenario has no block device to put a disk image on; open the "block" preset');

  await openPreset(page, 'block');
  await expectRefused(page, 'disk-file', sparseFile('big.img', 64 * 1024 * 1024 + 1), 'big.img: disk images are limited to 64 MiB (67108864 bytes); this file is 67108865 bytes');
  await expectRefused(page, 'disk-file', { name: 'empty.img', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) }, 'empty.img: the file is empty');
  await expect(page.getByTestId('preset-picker')).toHaveValue('block');

  // A small image with text in sector 1: the disk is the image, rounded up to whole sectors.
  const sector1 = Buffer.alloc(1024);
  sector1.write('sector one of my own image', 512);
  await page.getByTestId('disk-file').setInputFiles({ name: 'mine.img', mimeType: 'application/octet-stream', buffer: sector1 });
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('disk: block + mine.img');
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  await bootedWithDisk(page, 'lgba: 2 sectors (1024 bytes)');
  await typeLine(page, 0, 'blk size');
  await expect.poll(() => terminalLines(page, 0)).toContain('lgba: 2 sectors, 1024 bytes');
  await typeLine(page, 0, 'blk read 1');
  await expect.poll(() => terminalLines(page, 0)).toContain('sector one of my own image');
});

test('a 64 MiB disk image (the limit) loads', async ({ page }) => {
  test.setTimeout(60_000);
  await openPreset(page, 'block');
  await page.getByTestId('disk-file').setInputFiles(sparseFile('limit.img', 64 * 1024 * 1024));
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('disk: block + limit.img', { timeout: 30_000 });
  await bootedWithDisk(page, 'lgba: 131072 sectors (67108864 bytes)');
  await typeLine(page, 0, 'blk size');
  await expect.poll(() => terminalLines(page, 0)).toContain('lgba: 131072 sectors, 67108864 bytes');
});

test('a bad link (unknown preset, markup in it) says so as text; the default session runs', async ({ page }) => {
  await page.goto('/?preset=%3Cimg%20src%3Dx%3Enope');
  await expect(page.getByTestId('load-error')).toContainText('unknown preset "<img src=x>nope"; use one of console, block, net, bad-dma');
  await expect(page.locator('img')).toHaveCount(0);
  await expect(page.getByTestId('preset-picker')).toHaveValue('console');
  await typeLine(page, 0, 'echo link refused');
  await expect.poll(() => terminalLines(page, 0)).toContain('link refused');
});
