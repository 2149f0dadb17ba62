import { cssColour } from '../masks';
import type { JobView } from '../types';

export interface JobObjectsProps {
  objects: NonNullable<JobView['objects']>;
  /** Objects added in this session, not yet committed, with the names typed for them. */
  added: { id: number; label: string }[];
  hidden: Set<number>;
  selected: number | null;
  onToggle: (id: number) => void;
  onSelect: (id: number) => void;
  onAdd: () => void;
  onRename: (id: number, label: string) => void;
}

/** The job's objects by name: show / hide, pick the one clicks go to, add (and name) a new one. */
export function JobObjects({ objects, added, hidden, selected, onToggle, onSelect, onAdd, onRename }: JobObjectsProps) {
  const rows = [
    ...objects.map((o) => ({ id: o.id, label: o.label, note: `${o.framesPresent} frames`, isNew: false })),
    ...added.map((o) => ({ id: o.id, label: o.label, note: 'new', isNew: true })),
  ];
  return (
    <>
      <ul className="objects" data-testid="objects">
        {rows.map((o) => (
          <li key={o.id} data-object={o.id}>
            <input
              type="checkbox"
              data-testid={`toggle-${o.id}`}
              checked={!hidden.has(o.id)}
              onChange={() => onToggle(o.id)}
              title="show / hide"
            />
            <label>
              <input
                type="radio"
                name="object"
                data-testid={`select-${o.id}`}
                checked={selected === o.id}
                onChange={() => onSelect(o.id)}
              />
              <span className="swatch" style={{ background: cssColour(o.id) }} />
              {o.isNew ? (
                <input
                  className="object-name"
                  data-testid={`name-${o.id}`}
                  placeholder={`object ${o.id}`}
                  value={o.label ?? ''}
                  onChange={(e) => onRename(o.id, e.target.value)}
                />
              ) : (
                <span data-testid={`object-label-${o.id}`}>{o.label || `object ${o.id}`}</span>
              )}
              <small>{o.note}</small>
            </label>
          </li>
        ))}
      </ul>
      <button data-testid="add-object" onClick={onAdd}>
        Add object
      </button>
    </>
  );
}
