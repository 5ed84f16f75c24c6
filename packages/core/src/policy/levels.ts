/** A named level after validation: its acr values (first canonical), possibly none (profile issuers only). */
export interface LevelDefinition {
  readonly name: string;
  readonly acr: readonly string[];
}

/**
 * Named assurance levels, in order from weakest to strongest, each mapped to one or more `acr` values.
 * The first value of a level is its canonical one (sent in challenges); the others are aliases that
 * tokens may carry (e.g. the OpenID PAPE multi-factor URI).
 *
 * RFC 9470 treats `acr_values` as a set; the order here is this library's convenience on top of it:
 * a requirement of level N is met by any acr of level N or above.
 */
export class AssuranceLevels {
  readonly #index = new Map<string, number>();
  readonly #acrLevel = new Map<string, string>();
  readonly #accepted: ReadonlySet<string>[] = [];
  readonly #challenge: readonly string[][] = [];

  constructor(levels: readonly LevelDefinition[]) {
    levels.forEach((level, i) => {
      this.#index.set(level.name, i);
      for (const acr of level.acr) this.#acrLevel.set(acr, level.name);
    });
    levels.forEach((_, i) => {
      const above = levels.slice(i);
      this.#accepted.push(new Set(above.flatMap((l) => l.acr)));
      (this.#challenge as string[][]).push(above.flatMap((l) => l.acr.slice(0, 1)));
    });
    this.names = levels.map((l) => l.name);
  }

  /** The level names, weakest first. */
  readonly names: readonly string[];

  /** The position of `level` (0 = weakest). @throws RangeError for an unknown level */
  rank(level: string): number {
    return this.#require(level);
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }

  /** The named level an `acr` value belongs to, if any. */
  levelOf(acr: string | undefined): string | undefined {
    return acr === undefined ? undefined : this.#acrLevel.get(acr);
  }

  /** Every acr (aliases included) that satisfies `level`: its own and those of higher levels. */
  accepted(level: string): ReadonlySet<string> {
    return this.#accepted[this.#require(level)]!;
  }

  /** The canonical acr of `level` and of each higher level, in order of preference (weakest first). */
  challengeValues(level: string): readonly string[] {
    return this.#challenge[this.#require(level)]!;
  }

  #require(level: string): number {
    const i = this.#index.get(level);
    if (i === undefined) throw new RangeError(`unknown level ${level}`);
    return i;
  }
}
