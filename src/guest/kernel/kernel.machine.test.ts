/**
 * The built-in kernel booted in the real Machine (src/machine/machine.ts):
 * console echo, block write + read, ping between two guests, and save/load
 * mid-run continuing identically.
 */
import { describe, expect, it } from 'vitest';
import { LGUEST_DEVICE_S_ACKNOWLEDGE, LGUEST_DEVICE_S_DRIVER, LGUEST_DEVICE_S_DRIVER_OK, LGUEST_DEVICE_DESC, layoutOf } from '../../abi/index.ts';
import { Machine } from '../../machine/machine.ts';
import { validateScenario, type Scenario, type ScenarioInput } from '../../scenario/scenario.ts';
import { LguestKernel } from './kernel.ts';

function scenario(input: ScenarioInput): Scenario {
  const r = validateScenario(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function machine(input: ScenarioInput): Machine {
  const m = new Machine(scenario(input));
  m.runUntilIdle();
  return m;
}

/** Type a line and run until idle; returns only the new console output. */
function type(m: Machine, guest: number, text: string): string {
  const before = m.consoleText(guest).length;
  m.typeInput(guest, text);
  m.runUntilIdle();
  return m.consoleText(guest).slice(before);
}

const DESC = layoutOf(LGUEST_DEVICE_DESC, 'i386');
const OK = LGUEST_DEVICE_S_ACKNOWLEDGE | LGUEST_DEVICE_S_DRIVER | LGUEST_DEVICE_S_DRIVER_OK;

describe('LguestKernel in the Machine', () => {
  it('boots, probes every device to DRIVER_OK and shows a prompt', () => {
    const m = machine({ guests: [{ kernel: 'lguest', devices: [{ type: 'block' }, { type: 'net' }] }] });
    const out = m.consoleText(0);
    expect(out).toContain('Linux version 2.6.23-lguest-lab');
    expect(out).toContain('lguest_blk: lgba: 2048 sectors');
    expect(out).toContain('lguest_net: eth0: 02:00:00:00:00:00, slot 0');
    expect(out).toContain('hvc_lguest: console at irq 3');
    expect(out.endsWith('lguest# ')).toBe(true);
    const L = m.launchers[0];
    for (let i = 0; i < 3; i++) expect(L.memory.u16(L.descPage + i * DESC.size + DESC.fields.status.offset)).toBe(OK);
    expect(m.host.guests[0]!.dead).toBeNull();
  });

  it('echoes typed characters and runs echo', () => {
    const m = machine({ guests: [{ kernel: 'lguest' }] });
    expect(type(m, 0, 'echo hello world\r')).toBe('echo hello world\r\nhello world\r\nlguest# ');
    expect(type(m, 0, 'ab\x7fc\r')).toBe('ab\b \bc\r\nsh: ac: command not found\r\nlguest# ');
    expect(type(m, 0, 'xyz\x03')).toBe('xyz^C\r\nlguest# ');
  });

  it('takes input longer than the 256-byte console buffer', () => {
    const m = machine({ guests: [{ kernel: 'lguest' }] });
    const long = 'x'.repeat(300);
    const out = type(m, 0, `echo ${long}\r`);
    // The line editor holds 256 characters; the rest of the line is dropped like a full tty buffer.
    const kept = `echo ${long}`.slice(0, 256);
    expect(out).toBe(`${kept}\r\n${kept.slice(5)}\r\nlguest# `);
  });

  it('writes and reads back a sector', () => {
    const m = machine({ guests: [{ kernel: 'lguest', devices: [{ type: 'block', sectors: { '0': 'boot sector' } }] }] });
    expect(type(m, 0, 'blk read 0\r')).toBe('blk read 0\r\nboot sector\r\nlguest# ');
    expect(type(m, 0, 'blk write 5 abc\r')).toBe('blk write 5 abc\r\nblk: wrote 512 bytes to sector 5\r\nlguest# ');
    expect(type(m, 0, 'blk read 5\r')).toBe('blk read 5\r\nabc\r\nlguest# ');
    expect(type(m, 0, 'blk read 4 3\r')).toBe('blk read 4 3\r\n4: \r\n5: abc\r\n6: \r\nlguest# ');
    expect(type(m, 0, 'blk size\r')).toContain('lgba: 2048 sectors, 1048576 bytes');
    expect(type(m, 0, 'blk read 2048\r')).toContain('blk: sector 2048 is beyond the disk (2048 sectors)');
    expect(m.launchers[0].exitMessage).toBeNull();
  });

  it('reads 16 sectors: two page sections in the bound reply', () => {
    const m = machine({ guests: [{ kernel: 'lguest', devices: [{ type: 'block', sectors: { '15': 'last' } }] }] });
    const out = type(m, 0, 'blk read 0 16\r');
    expect(out).toContain('15: last\r\n');
  });

  it('says when a device is missing', () => {
    const m = machine({ guests: [{ kernel: 'lguest' }] });
    expect(type(m, 0, 'blk size\r')).toContain('blk: no block device');
    expect(type(m, 0, 'ping 1\r')).toContain('net: no network device');
    expect(type(m, 0, 'ifconfig\r')).toContain('net: no network device');
  });

  it('pings between two guests on one network', () => {
    const m = machine({ guests: [{ kernel: 'lguest', devices: [{ type: 'net' }] }, { kernel: 'lguest', devices: [{ type: 'net' }] }] });
    const out = type(m, 0, 'ping 1\r');
    expect(out).toContain('PING guest 1 (02:00:01:00:00:00): 64 bytes, seq=1');
    expect(out).toContain('64 bytes: reply from guest 1 seq=1');
    expect(out.endsWith('lguest# ')).toBe(true);
    expect(type(m, 1, 'ifconfig\r')).toContain('RX packets:1 bytes:64 dropped:0');
    expect(type(m, 0, 'ping 5\r')).toContain('ping: guest 5 unreachable');
  });

  it('delivers a text message and reprints the prompt with the half-typed line', () => {
    const m = machine({ guests: [{ kernel: 'lguest', devices: [{ type: 'net' }] }, { kernel: 'lguest', devices: [{ type: 'net' }] }] });
    type(m, 1, 'ech');
    const out = type(m, 0, 'send 1 hi there\r');
    expect(out).toContain('send: 28 bytes to guest 1');
    expect(m.consoleText(1).endsWith('lguest# ech\r\n[net] from guest 0: hi there\r\nlguest# ech')).toBe(true);
  });

  it('dies with "bad sending DMA key" on an unaligned poke', () => {
    const m = machine({ guests: [{ kernel: 'lguest' }] });
    type(m, 0, 'poke-dma 0x1001\r');
    expect(m.host.guests[0]!.dead ?? m.launchers[0].exitMessage).toContain('bad sending DMA key');
  });

  it('continues identically when restored from save() after every quantum', () => {
    const sc = scenario({ guests: [{ kernel: 'lguest', devices: [{ type: 'block' }, { type: 'net' }] }, { kernel: 'lguest', devices: [{ type: 'net' }] }] });
    const a = new Machine(sc);
    const b = new Machine(sc);
    let midJob = 0;
    /** Replace every kernel of b by a fresh one loaded from its save(), as a checkpoint restore would. */
    const restore = (): void => {
      b.programs.forEach((p, i) => {
        const state = JSON.parse(JSON.stringify(p.save())) as { jobs: unknown[] };
        if (state.jobs.length > 0) midJob++;
        const k = new LguestKernel();
        k.load(state);
        b.programs[i] = k;
      });
    };
    const drive = (m: Machine): void => {
      while (m.step()) if (m === b) restore();
    };
    for (const m of [a, b]) {
      drive(m);
      m.typeInput(0, 'blk write 3 saved\rping 1\rblk read 3\r');
      // Machine.typeInput drops inputs not yet applied (a forked timeline), so let the first land before the second.
      m.step();
      if (m === b) restore();
      m.typeInput(1, 'send 0 hello\r');
      drive(m);
    }
    expect(midJob).toBeGreaterThan(10);
    expect(b.consoleText(0)).toBe(a.consoleText(0));
    expect(b.consoleText(1)).toBe(a.consoleText(1));
    expect(b.hash()).toBe(a.hash());
    expect(b.events.count).toBe(a.events.count);
    expect(a.consoleText(0)).toContain('reply from guest 1');
    expect(a.consoleText(0)).toContain('[net] from guest 1: hello');
    // Typed ahead: echoed at once, each command's output follows its prompt.
    expect(a.consoleText(0)).toContain('lguest# saved\r\nlguest# ');
  });
});


describe('counted and flood ping', () => {
  it('ping GUEST N sends N requests and prints a summary; ^C ends a flood with one', async () => {
    const { Machine } = await import('../../machine/machine.ts');
    const { validateScenario } = await import('../../scenario/scenario.ts');
    const { PRESETS } = await import('../../scenario/presets.ts');
    const sc = validateScenario(PRESETS.net);
    if (!sc.ok) throw new Error(sc.error.message);
    const m = new Machine(sc.value, { alloc: (n) => new ArrayBuffer(n) });
    m.runUntilIdle();
    m.typeInput(0, 'ping 1 25\r');
    m.runUntilIdle();
    expect(m.consoleText(0)).toContain('--- guest 1 ping: 25 transmitted, 25 received, 0% loss');
    m.typeInput(0, 'ping -f 1\r');
    for (let q = 0; q < 20_000; q++) m.step();
    expect(m.isIdle()).toBe(false);
    m.typeInput(0, '\x03');
    m.runUntilIdle();
    const done = /\^C\r\n--- guest 1 ping: (\d+) transmitted, (\d+) received, 0% loss\r\nlguest# $/.exec(m.consoleText(0));
    expect(done).not.toBeNull();
    // The request in flight when ^C landed is abandoned: at most one short.
    const [sent, received] = [Number(done![1]), Number(done![2])];
    expect(sent).toBeGreaterThan(1000);
    expect(sent - received).toBeLessThanOrEqual(1);
  });
});
