/**
 * Categories as labelling tools read them: one per distinct label, objects of the same label sharing
 * it (two "person" objects are one category and two tracks). Objects without a label fall into
 * "object". Ids follow the first object id of each label, so they are stable across rounds.
 */
export interface Category {
  /** 1-based (COCO); YOLO's class index is id - 1. */
  id: number;
  name: string;
  objectIds: number[];
}

export const UNLABELLED = 'object';

export class Categories {
  readonly list: Category[];
  private readonly byObject = new Map<number, Category>();

  constructor(objects: readonly { objectId: number; label: string | null }[]) {
    const byName = new Map<string, Category>();
    this.list = [];
    for (const o of [...objects].sort((a, b) => a.objectId - b.objectId)) {
      const name = o.label?.trim() || UNLABELLED;
      let c = byName.get(name);
      if (!c) {
        c = { id: this.list.length + 1, name, objectIds: [] };
        byName.set(name, c);
        this.list.push(c);
      }
      c.objectIds.push(o.objectId);
      this.byObject.set(o.objectId, c);
    }
  }

  /** The object's category (every object in a round's masks is one of the job's objects). */
  of(objectId: number): Category {
    const c = this.byObject.get(objectId);
    if (!c) throw new Error(`object ${objectId} is not one of the job's objects`);
    return c;
  }

  get objectIds(): number[] {
    return [...this.byObject.keys()].sort((a, b) => a - b);
  }
}
