import { useState, type FormEvent } from 'react';
import type { SessionView } from '@masklet/contract';
import { Api, ApiError } from '../api';

/** Exchanges the key for a session cookie (bull-board too accepts it, for operators); the key is not kept. */
export function LoginPage({ onLogin }: { onLogin: (session: SessionView) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await Api.login(key.trim()));
      setKey('');
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form onSubmit={submit}>
        <h1>Masklet</h1>
        <p>
          Log in with an API key (
          <code>npm run cli -- key:create --tenant &lt;id|name&gt; --scopes read,submit,correct,admin</code>; the fleet
          views need an operator key: <code>key:create --operator</code>).
        </p>
        <input
          data-testid="api-key"
          type="password"
          placeholder="mk_..."
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoFocus
        />
        <button data-testid="login" type="submit" disabled={busy || key.trim() === ''}>
          Log in
        </button>
        {error && (
          <p className="error" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}
