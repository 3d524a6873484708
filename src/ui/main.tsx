/** Entry point: start the simulation worker and its frame loop, mount the page. */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { SimClient } from './sim-client.ts';
import './theme.css';

const client = new SimClient();
client.start();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <React.StrictMode>
    <App client={client} />
  </React.StrictMode>,
);
