/** Entry point: start the simulation worker and its frame loop, mount the page. */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { SupervisorContext } from './fault-banner.tsx';
import { SimClient } from '../client/sim-client.ts';
import { WorkerSupervisor } from '../client/worker-supervisor.ts';
import './theme.css';

const client = new SimClient();
client.start();
// Worker faults: watchdog, the page's copy of the recording, restart (issue #7).
const supervisor = new WorkerSupervisor(client);
supervisor.start();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <React.StrictMode>
    <SupervisorContext.Provider value={supervisor}>
      <App client={client} />
    </SupervisorContext.Provider>
  </React.StrictMode>,
);
