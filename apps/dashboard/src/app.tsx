import { useEffect, useMemo, useState } from 'react';
import type { SessionView } from '@masklet/contract';
import { Api } from './api';
import { LoginPage } from './pages/login';
import { FleetPage } from './pages/fleet';
import { JobsPage } from './pages/jobs';
import { JobPage } from './pages/job';
import { NewJobPage } from './pages/new-job';
import { useRoute } from './route';

export function App() {
  // undefined while asking the API whether the session cookie is still good.
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const route = useRoute();
  const api = useMemo(() => new Api({}), []);
  useEffect(() => {
    Api.current().then(setSession, () => setSession(null));
  }, []);

  if (session === undefined) return null;
  if (session === null) return <LoginPage onLogin={setSession} />;
  const logout = () => {
    // Signed out locally even when the request fails: the user asked to leave.
    const signedOut = () => setSession(null);
    api.logout().then(signedOut, signedOut);
  };
  return (
    <div className="shell">
      <nav className="nav">
        <span className="brand">Masklet</span>
        <a href="#/fleet" className={route.page === 'fleet' ? 'active' : ''}>
          Fleet
        </a>
        <a href="#/jobs" className={route.page === 'jobs' || route.page === 'job' ? 'active' : ''}>
          Jobs
        </a>
        <a href="#/new" data-testid="nav-new" className={route.page === 'new' ? 'active' : ''}>
          New job
        </a>
        <a href="/admin/queues" target="_blank" rel="noreferrer">
          Queues (bull-board)
        </a>
        <a href="/docs" target="_blank" rel="noreferrer">
          API docs
        </a>
        <button className="link" data-testid="logout" onClick={logout}>
          Log out
        </button>
      </nav>
      <main>
        {route.page === 'fleet' && <FleetPage api={api} />}
        {route.page === 'jobs' && <JobsPage api={api} query={route.query} />}
        {route.page === 'new' && <NewJobPage key={route.videoId ?? ''} api={api} videoId={route.videoId} />}
        {route.page === 'job' && <JobPage key={route.id} api={api.withTenant(route.tenantId)} id={route.id} />}
      </main>
    </div>
  );
}
