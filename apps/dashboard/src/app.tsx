import { useMemo, useState } from 'react';
import { Api, type Session } from './api';
import { LoginPage } from './pages/login';
import { FleetPage } from './pages/fleet';
import { JobsPage } from './pages/jobs';
import { JobPage } from './pages/job';
import { NewJobPage } from './pages/new-job';
import { useRoute } from './route';

const STORAGE_KEY = 'masklet.apiKey';

export function App() {
  const [session, setSession] = useState<Session | null>(() => {
    const key = window.localStorage.getItem(STORAGE_KEY);
    return key ? { key } : null;
  });
  const route = useRoute();
  const api = useMemo(() => (session ? new Api(session) : null), [session]);

  if (!api || !session) {
    return (
      <LoginPage
        onLogin={(key) => {
          window.localStorage.setItem(STORAGE_KEY, key);
          setSession({ key });
        }}
      />
    );
  }
  const logout = () => {
    window.localStorage.removeItem(STORAGE_KEY);
    setSession(null);
  };
  return (
    <div className="shell">
      <nav className="nav">
        <span className="brand">Masklet</span>
        <a href="#/fleet" className={route.page === 'fleet' ? 'active' : ''}>Fleet</a>
        <a href="#/jobs" className={route.page === 'jobs' || route.page === 'job' ? 'active' : ''}>Jobs</a>
        <a href="#/new" data-testid="nav-new" className={route.page === 'new' ? 'active' : ''}>New job</a>
        <a href="/admin/queues" target="_blank" rel="noreferrer">Queues (bull-board)</a>
        <a href="/docs" target="_blank" rel="noreferrer">API docs</a>
        <button className="link" onClick={logout}>Log out</button>
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
