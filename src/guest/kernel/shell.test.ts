import { describe, expect, it } from 'vitest';
import { parseCommand, parseNumber, sectorText } from './shell.ts';

describe('parseNumber', () => {
  it('reads decimal and 0x hex, up to 32 bits', () => {
    expect(parseNumber('4096')).toBe(4096);
    expect(parseNumber('0x1001')).toBe(0x1001);
    expect(parseNumber('0XfF')).toBe(255);
    expect(parseNumber('0xffffffff')).toBe(0xffffffff);
    expect(parseNumber('0x100000000')).toBeNull();
    expect(parseNumber('-1')).toBeNull();
    expect(parseNumber('12a')).toBeNull();
  });
});

describe('parseCommand', () => {
  it('parses every command', () => {
    expect(parseCommand('')).toEqual({ cmd: 'empty' });
    expect(parseCommand('   ')).toEqual({ cmd: 'empty' });
    expect(parseCommand('help')).toEqual({ cmd: 'help' });
    expect(parseCommand('echo  a  b ')).toEqual({ cmd: 'echo', text: 'a  b' });
    expect(parseCommand('echo')).toEqual({ cmd: 'echo', text: '' });
    expect(parseCommand('dmesg')).toEqual({ cmd: 'dmesg' });
    expect(parseCommand('devices')).toEqual({ cmd: 'devices' });
    expect(parseCommand('blk size')).toEqual({ cmd: 'blk-size' });
    expect(parseCommand('blk read 5')).toEqual({ cmd: 'blk-read', sector: 5, count: 1 });
    expect(parseCommand('blk read 0x10 4')).toEqual({ cmd: 'blk-read', sector: 16, count: 4 });
    expect(parseCommand('blk write 5 hello  world')).toEqual({ cmd: 'blk-write', sector: 5, text: 'hello  world' });
    expect(parseCommand('ifconfig')).toEqual({ cmd: 'ifconfig' });
    expect(parseCommand('ping 1')).toEqual({ cmd: 'ping', guest: 1, count: 1 });
    expect(parseCommand('ping 1 25')).toEqual({ cmd: 'ping', guest: 1, count: 25 });
    expect(parseCommand('ping -f 1')).toEqual({ cmd: 'ping', guest: 1, count: 0 });
    expect(parseCommand('send 2 hi there')).toEqual({ cmd: 'send', guest: 2, text: 'hi there' });
    expect(parseCommand('send all hi')).toEqual({ cmd: 'send', guest: 'all', text: 'hi' });
    expect(parseCommand('poke-dma 0x1001')).toEqual({ cmd: 'poke-dma', key: 0x1001 });
    expect(parseCommand('frobnicate x')).toEqual({ cmd: 'unknown', name: 'frobnicate' });
  });

  it('answers bad arguments with a usage line', () => {
    for (const l of ['blk', 'blk read', 'blk read x', 'blk read 1 2 3', 'blk write 5', 'ping', 'ping x', 'ping 70000', 'ping 1 0', 'ping -f', 'ping 1 2 3', 'send 1', 'poke-dma', 'poke-dma zz']) {
      const c = parseCommand(l);
      expect(c.cmd, l).toBe('usage');
    }
  });
});

describe('sectorText', () => {
  it('trims trailing NULs and shows non-printables as dots', () => {
    const d = new Uint8Array(512);
    d.set([0x61, 0x0a, 0x00, 0x62, 0x7f, 0x63]);
    expect(sectorText(d)).toBe('a..b.c');
    expect(sectorText(new Uint8Array(512))).toBe('');
  });
});
