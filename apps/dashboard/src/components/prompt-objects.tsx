import { cssColour } from '../masks';

export interface DraftObject {
  id: number;
  label: string;
  /** Frames carrying a prompt of this object. */
  frames: number[];
}

export interface PromptObjectsProps {
  objects: DraftObject[];
  selected: number | null;
  onSelect: (id: number) => void;
  onRename: (id: number, label: string) => void;
  onAdd: () => void;
  onRemove: (id: number) => void;
  onSeek: (frame: number) => void;
}

/** Objects of a job being prompted: name, which one clicks go to, the frames prompted so far. */
export function PromptObjects({ objects, selected, onSelect, onRename, onAdd, onRemove, onSeek }: PromptObjectsProps) {
  return (
    <>
      <ul className="objects" data-testid="objects">
        {objects.map((o) => (
          <li key={o.id} data-object={o.id}>
            <label>
              <input
                type="radio"
                name="object"
                data-testid={`select-${o.id}`}
                checked={selected === o.id}
                onChange={() => onSelect(o.id)}
              />
              <span className="swatch" style={{ background: cssColour(o.id) }} />
              <input
                className="object-name"
                data-testid={`name-${o.id}`}
                placeholder={`object ${o.id}`}
                value={o.label}
                onChange={(e) => onRename(o.id, e.target.value)}
              />
            </label>
            <small data-testid={`prompted-${o.id}`}>
              {o.frames.length === 0 ? 'no prompt yet' : 'frames '}
              {o.frames.map((f) => (
                <button key={f} className="link-button" onClick={() => onSeek(f)}>
                  {f}
                </button>
              ))}
            </small>
            <button className="link-button" title="remove this object" onClick={() => onRemove(o.id)}>
              x
            </button>
          </li>
        ))}
      </ul>
      <button data-testid="add-object" onClick={onAdd}>
        Add object
      </button>
    </>
  );
}
