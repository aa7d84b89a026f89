import { checkpointStore } from '../__testUtils__/checkpointStore';
import { verifiedCheckpoint } from './verifiedCheckpoint';

describe('verifiedCheckpoint', () => {
  // The "cluster": which namespace uid exists now, and how many times the step ran.
  let live: string | undefined;
  let runs: number;
  const step = () =>
    async function fn() {
      runs += 1;
      live = `uid-${runs}`;
      return { uid: live };
    };

  beforeEach(() => {
    live = undefined;
    runs = 0;
  });

  const run = (store: ReturnType<typeof checkpointStore>) =>
    verifiedCheckpoint<{ uid?: string }>(store, {
      key: 'k',
      fn: step(),
      stillHolds: async replayed => replayed.uid === live,
      generation: replayed => replayed.uid ?? 'unrecorded',
    });

  it('runs the step once and replays it while its record holds', async () => {
    const store = checkpointStore();
    expect(await run(store)).toEqual({ uid: 'uid-1' });
    expect(await run(store)).toEqual({ uid: 'uid-1' });
    expect(runs).toBe(1);
    expect(store.keys).toEqual(['k', 'k']);
  });

  it('runs the step again, checkpointed under the stale generation, when its record no longer holds', async () => {
    const store = checkpointStore();
    await run(store);
    live = undefined; // undone outside the task
    expect(await run(store)).toEqual({ uid: 'uid-2' });
    expect(store.values.get('k.after-uid-1')).toEqual({ uid: 'uid-2' });
    // The next retry follows the chain to the record that holds.
    expect(await run(store)).toEqual({ uid: 'uid-2' });
    live = undefined;
    expect(await run(store)).toEqual({ uid: 'uid-3' });
    expect(runs).toBe(3);
    expect(store.keys).toEqual([
      'k',
      'k',
      'k.after-uid-1',
      'k',
      'k.after-uid-1',
      'k',
      'k.after-uid-1',
      'k.after-uid-2',
    ]);
  });

  it('runs the step itself when a record without a generation keeps failing', async () => {
    const store = checkpointStore();
    store.values.set('k', {});
    store.values.set('k.after-unrecorded', {});
    live = 'uid-0';
    expect(await run(store)).toEqual({ uid: 'uid-1' });
    expect(runs).toBe(1);
  });

  it('does not check a value it has just produced', async () => {
    const store = checkpointStore();
    const stillHolds = jest.fn();
    await verifiedCheckpoint(store, {
      key: 'k',
      fn: step(),
      stillHolds,
      generation: () => 'x',
    });
    expect(stillHolds).not.toHaveBeenCalled();
  });
});
