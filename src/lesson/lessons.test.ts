/**
 * The built-in lessons as content (issue #13): the catalog matches the files
 * the page fetches, each lesson is 6-15 steps, and every step says what to
 * look at with a spec section and a v2.6.23 function, and makes at least one
 * claim the simulator proves (`lesson check --all`, run by `npm test`, proves
 * them all).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { LESSON_CATALOG } from './catalog.ts';
import { parseLesson } from './schema.ts';

const DIR = new URL('../../public/lessons/', import.meta.url);

/**
 * Every function a lesson cites, by file, each checked against the Linux
 * v2.6.23 sources (drivers/lguest/*.c, lg.h, Documentation/lguest/lguest.c,
 * drivers/char/hvc_lguest.c, drivers/block/lguest_blk.c,
 * drivers/net/lguest_net.c). A new citation needs checking and an entry here.
 */
const VERIFIED: Readonly<Record<string, readonly string[]>> = {
  'io.c': ['bind_dma', 'unbind_dma', 'send_dma', 'dma_transfer', 'do_dma', 'copy_data', 'check_dma_list', 'get_dma_buffer', 'lgread_other'],
  'hypercalls.c': ['do_hcall'],
  'core.c': ['lgread'],
  'lg.h': ['kill_guest'],
  'interrupts_and_traps.c': ['maybe_do_interrupt', 'load_guest_idt_entry'],
  'lguest_user.c': ['read', 'initialize', 'user_send_irq', 'break_guest_out'],
  'lguest.c': ['lguest_send_dma'],
  'lguest_bus.c': ['scan_devices', 'add_lguest_device', 'lguest_dev_probe'],
  'hvc_lguest.c': ['put_chars', 'get_chars', 'lguestcons_probe'],
  'lguest_blk.c': ['lguestblk_probe', 'do_read', 'do_write', 'setup_req', 'lgb_irq'],
  'lguest_net.c': ['lguestnet_open', 'lguestnet_start_xmit', 'transfer_packet', 'lguestnet_rcv'],
  'Documentation/lguest/lguest.c': [
    'new_device', 'setup_console', 'setup_block_file', 'setup_net_file', 'handle_output', 'handle_console_output', 'handle_console_input',
    'handle_block_output', 'get_dma_buffer', 'trigger_irq', 'wake_parent', '_check_pointer',
  ],
};

/** System calls a narration may name in prose (`read()` of /dev/lguest), with no file. */
const SYSCALLS = ['read', 'write', 'select', 'readv'];
const ANY_FILE = new Set([...Object.values(VERIFIED).flat(), ...SYSCALLS]);

/** `file.c: fn()` citations of a narration, and the bare `fn()` it names in prose. */
function citations(say: string): { file: string | undefined; fn: string }[] {
  return [...say.matchAll(/`(?:([\w/.]+\.[ch]): )?(\w+)\(\)`/g)].map((m) => ({ file: m[1], fn: m[2] }));
}

const lessons = LESSON_CATALOG.map((e) => {
  const r = parseLesson(readFileSync(new URL(e.file, DIR), 'utf8'));
  if (!r.ok) throw new Error(`${e.file}: ${r.error.message}`);
  return { ...e, lesson: r.value };
});

describe('built-in lessons', () => {
  it('the catalog lists exactly the files in public/lessons/, in order, named NN-id.json', () => {
    expect(LESSON_CATALOG.map((e) => e.file)).toEqual(readdirSync(DIR).filter((f) => f.endsWith('.json')).sort());
    LESSON_CATALOG.forEach((e, k) => expect(e.file).toBe(`${String(k + 1).padStart(2, '0')}-${e.id}.json`));
    for (const l of lessons) expect(l.lesson.id).toBe(l.id);
    expect(lessons).toHaveLength(8);
  });

  for (const { id, lesson } of lessons) {
    it(`${id}: 6-15 steps, each citing a spec section and a checked v2.6.23 function, each with a claim to prove`, () => {
      expect(lesson.steps.length).toBeGreaterThanOrEqual(6);
      expect(lesson.steps.length).toBeLessThanOrEqual(15);
      lesson.steps.forEach((s, k) => {
        const where = `${id} step ${k}`;
        expect(s.say, where).toMatch(/§\d/);
        const cited = citations(s.say);
        expect(cited.filter((c) => c.file !== undefined).length, `${where} cites no file: function()`).toBeGreaterThan(0);
        for (const c of cited) {
          if (c.file === undefined) expect(ANY_FILE.has(c.fn), `${where}: ${c.fn}() is not a checked function`).toBe(true);
          else expect(VERIFIED[c.file] ?? [], `${where}: ${c.file}: ${c.fn}() is not in the checked list`).toContain(c.fn);
        }
        expect(s.expect.length, `${where} proves nothing`).toBeGreaterThan(0);
      });
    });
  }
});

describe('loadLesson', () => {
  it('loads a built-in lesson through the reader it is given, and names what went wrong', async () => {
    const { loadLesson } = await import('./load.ts');
    const read = async (f: string) => readFileSync(new URL(f, DIR), 'utf8');
    const ok = await loadLesson('network', read);
    expect(ok.ok && ok.value.steps.length).toBe(9);
    expect(await loadLesson('nope', read)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^no lesson "nope"; use one of lguest-bus, /) } });
    const fail = await loadLesson('network', async () => {
      throw new Error('404');
    });
    expect(fail).toMatchObject({ ok: false, error: { message: '05-network.json: cannot load: 404' } });
    expect(await loadLesson('network', async () => '{"id": 3}')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^05-network\.json: id: /) } });
  });
});
