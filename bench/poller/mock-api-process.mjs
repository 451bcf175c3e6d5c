// The mock TRaX API in its own process, so its CPU is not counted as the poller's.
// Half the studios are live; every second 0.5% of them change (offline, online, or restart),
// so the poller's diffing and dispatch run, not only its requests.
import { startMockTraxApi } from '@trax-webhooks/testing';

const studios = Number(process.env.STUDIOS ?? 10_000);
const api = await startMockTraxApi({ apiKeys: [process.env.API_KEY ?? 'sk_bench'], port: 0 });
for (let i = 0; i < studios; i += 2) api.goLive(`st_${i}`);
let changes = 0;
const churn = setInterval(() => {
  for (let n = 0; n < Math.ceil(studios / 200); n++) {
    const id = `st_${Math.floor(Math.random() * studios)}`;
    if (api.status(id).live && Math.random() < 0.5) api.goOffline(id);
    else api.goLive(id, { liveStartedAt: new Date(), encoderStreamId: `enc_${++changes}` });
  }
  // Keep the mock's own request log from growing for the whole run.
  api.clearRequests();
}, 1000);

process.on('message', async (message) => {
  if (message !== 'stop') return;
  clearInterval(churn);
  await api.close();
  process.disconnect();
});
process.send({ url: api.url });
