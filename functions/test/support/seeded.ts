import { createIdGenerator, seedDemo } from '@atende/core';
import { storeOf, type Deps } from '../../src/handlers.ts';
import { MemoryAuth } from '../../../conformance/firestore.ts';
import { meterServer } from '../../../bench/support/firestoreMeter.ts';
import { startEmulator, type Emulator } from './emulator.ts';

/** A started emulator holding the demo workspace, the bench's meter on it, and the handlers' deps on `clock`. */
export const seededEmulator = async (clock: () => number): Promise<{ emu: Emulator; deps: Deps; meter: ReturnType<typeof meterServer> }> => {
  const emu = await startEmulator();
  const meter = meterServer(emu.server);
  const deps: Deps = { db: emu.db, auth: new MemoryAuth(), clock, newId: createIdGenerator(clock) };
  await seedDemo({ store: storeOf(emu.db), clock, newId: deps.newId });
  return { emu, deps, meter };
};
