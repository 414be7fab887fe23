import type { Route } from '../router';
import { JobsList } from '../components/jobs-list';
import { Schedules } from '../components/jobs-schedules';
import '../jobs.css';
import '../lists.css';

/** #/jobs: the live list of jobs (filters in the address), then the schedules. */
export function JobsPage({ route }: { route: Route }) {
  return (
    <>
      <JobsList route={route} />
      <Schedules />
    </>
  );
}
