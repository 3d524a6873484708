/** What the session publishes for the page: SessionInfo (the buffers and the layout of each guest) and the live block, written after every slice. */
import type { GuestMemory } from '../hw/memory.ts';
import { NetDevice } from '../launcher/devices/net.ts';
import type { SessionInfo } from './api.ts';
import { liveWord, RUN_STATE_CODES } from './live-block.ts';
import { HASH_EVERY_MS, SessionCore } from './session-core.ts';

export abstract class LivePublisher extends SessionCore {
  info(): SessionInfo {
    const m = this.need();
    const netNames = new Map<object, string>();
    for (const [name, n] of m.networks) netNames.set(n, name);
    return {
      name: m.scenario.name ?? 'scenario',
      description: m.scenario.description ?? '',
      arch: m.scenario.arch,
      start: this.checkpoints!.startCount,
      shared: this.shared,
      live: this.liveBuffer,
      guests: m.launchers.map((L, i) => ({
        index: i,
        kernel: m.programs[i].kernel,
        ramBytes: L.memory.ramBytes,
        top: L.memory.top,
        descPage: L.descPage,
        memory: L.memory.bytes.buffer,
        bindings: m.host.guests[i]!.bindings.buffer,
        devices: L.devices.map((d) =>
          d instanceof NetDevice
            ? { index: d.index, type: d.type, gpa: d.mem, network: d.network.name, slot: d.slot }
            : { index: d.index, type: d.type, gpa: d.mem },
        ),
        sharedPages: sharedPagesOf(L.memory),
      })),
      sharedObjects: m.sharedObjects.map((o) => ({ id: o.id, name: o.name, bytes: o.bytes.buffer })),
      timeline: this.bins!.buffer,
      eventSlots: m.events.capacity,
    };
  }

  protected publish(forceHash: boolean): void {
    const m = this.machine;
    if (!m) return;
    const w = this.live;
    const now = this.host.now();
    w[liveWord('events')] = m.events.count;
    w[liveWord('recorded')] = m.events.recorded;
    w[liveWord('view')] = this.view;
    w[liveWord('time')] = m.clock.now >>> 0;
    w[liveWord('quanta')] = m.quanta >>> 0;
    w[liveWord('running')] = this.running ? 1 : 0;
    w[liveWord('suspended')] = m.suspended ? 1 : 0;
    w[liveWord('guest_count')] = m.launchers.length;
    // The timeline bins and the facts see every event before the bounded log lets it go (onEvict) and here.
    this.bins?.catchUp(m.events);
    this.factLog?.catchUp(m.events);
    if (this.view > 0) m.events.touch(this.view - 1);
    w[liveWord('chunk_count')] = m.events.slots.length;
    m.events.writeDirectory(m.events.directory ?? w.subarray(liveWord('event_dir'), liveWord('event_dir') + 48));
    w[liveWord('bins_seq')] = this.bins ? this.bins.header[2] : 0;
    w[liveWord('facts_seq')] = this.factLog ? this.factLog.seq : 0;
    w[liveWord('inputs_pending')] = m.inputsPending;
    const dt = now - this.rateWindow.t;
    if (!this.running || forceHash) {
      // Idle, paused or stepping: nothing runs on its own.
      w[liveWord('events_per_sec')] = 0;
      this.rateWindow = { t: now, events: m.events.count };
    } else if (dt >= 500) {
      const rate = Math.max(0, ((m.events.count - this.rateWindow.events) * 1000) / dt);
      w[liveWord('events_per_sec')] = this.running ? Math.round(rate) : 0;
      this.rateWindow = { t: now, events: m.events.count };
    }
    m.launchers.forEach((L, i) => {
      w[liveWord('run_state', i)] = RUN_STATE_CODES[m.runState(i)];
      w[liveWord('pending_irqs', i)] = m.host.guests[i]!.pendingIrqs;
      w[liveWord('tty_pending', i)] = L.tty.length;
      // console_seq changes exactly when the guest's console output does (grows, or shrinks on a rewind).
      if (w[liveWord('stdout_chunks', i)] !== L.stdout.length) w[liveWord('console_seq', i)] = (w[liveWord('console_seq', i)] + 1) >>> 0;
      w[liveWord('stdout_chunks', i)] = L.stdout.length;
    });
    if (forceHash || now - this.lastHashAt >= HASH_EVERY_MS) {
      const h = m.hash();
      w[liveWord('hash_hi')] = parseInt(h.slice(0, 8), 16) >>> 0;
      w[liveWord('hash_lo')] = parseInt(h.slice(8), 16) >>> 0;
      w[liveWord('hash_seq')] = m.events.count;
      this.lastHashAt = now;
    }
    w[liveWord('seq')] = (w[liveWord('seq')] + 1) >>> 0;
  }

  protected publishFault(): void {
    this.live[liveWord('fault')] = this.faultInfo ? 1 : 0;
    this.live[liveWord('seq')] = (this.live[liveWord('seq')] + 1) >>> 0;
  }
}


function sharedPagesOf(mem: GuestMemory): { pfn: number; object: number; page: number }[] {
  const out: { pfn: number; object: number; page: number }[] = [];
  for (let pfn = 0; pfn < mem.pfnLimit; pfn++) {
    const m = mem.sharedAt(pfn * 4096);
    if (m) out.push({ pfn, object: m.object.id, page: m.page });
  }
  return out;
}
