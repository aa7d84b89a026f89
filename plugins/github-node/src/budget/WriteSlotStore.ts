import { WriteLimit } from './nextWriteSlot';

/** A request for a credential's next turn to write. */
export interface BookingRequest {
  now: number;
  /** Book nothing when the turn would come later than this. */
  latest: number;
  intervalMs: number;
  limits: WriteLimit[];
}

/** The turn a credential got, or would have got. */
export interface Booking {
  /** False when the turn came later than `latest` and was not kept. */
  booked: boolean;
  /** When the write may go (epoch ms). */
  at: number;
  /** The turns given before it that are still to come. */
  ahead: number;
}

/**
 * Where the turns of each credential are kept. Booking reads the turns given
 * and adds one in a single step, so two writers never get the same turn.
 */
export interface WriteSlotStore {
  book(credential: string, request: BookingRequest): Promise<Booking>;
  /** No turn of `credential` before `until` (epoch ms), as GitHub asked. */
  block(credential: string, until: number): Promise<void>;
}
