import { nextWriteSlot, writesAhead } from './nextWriteSlot';
import { Booking, BookingRequest, WriteSlotStore } from './WriteSlotStore';

interface Budget {
  blockedUntil: number;
  /** Latest first. */
  slots: number[];
}

/**
 * The turns of one process, for a backend with no database to share them
 * through (tests, benchmarks, a service built with `create`).
 */
export class MemoryWriteSlotStore implements WriteSlotStore {
  readonly #budgets = new Map<string, Budget>();

  async book(credential: string, request: BookingRequest): Promise<Booking> {
    const budget = this.#budgetOf(credential);
    const at = nextWriteSlot({ ...request, ...budget });
    const ahead = writesAhead(budget.slots, request.now);
    if (at > request.latest) return { booked: false, at, ahead };
    const longest = Math.max(0, ...request.limits.map(l => l.perMs));
    budget.slots = [
      at,
      ...budget.slots.filter(s => s >= request.now - longest),
    ];
    return { booked: true, at, ahead };
  }

  async block(credential: string, until: number): Promise<void> {
    const budget = this.#budgetOf(credential);
    budget.blockedUntil = Math.max(budget.blockedUntil, until);
  }

  #budgetOf(credential: string): Budget {
    let budget = this.#budgets.get(credential);
    if (!budget) {
      budget = { blockedUntil: 0, slots: [] };
      this.#budgets.set(credential, budget);
    }
    return budget;
  }
}
