/**
 * The last `capacity` event ids seen, oldest forgotten first, so dedupe memory stays bounded
 * however long a client runs: a ring of ids, with a Set to look them up.
 */
export class RecentIds {
  private readonly ring: (string | undefined)[];
  private readonly ids = new Set<string>();
  private next = 0;

  constructor(capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.ids.delete(evicted);
    this.ring[this.next] = id;
    this.ids.add(id);
    this.next = (this.next + 1) % this.ring.length;
  }

  get size(): number {
    return this.ids.size;
  }
}
