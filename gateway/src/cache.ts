/** A small map whose entries expire; cleared wholesale when full, so it never grows past `max`. */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(private readonly max = 10_000) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  set(key: string, value: V, until: number): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { value, until });
  }
}
