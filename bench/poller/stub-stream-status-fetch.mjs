// A `fetch` answering stream-status from memory, with the same churn as the mock API process:
// half the studios live, 0.5% of them changing every second. The poller's own work, no HTTP.
export function stubStreamStatusFetch(studios) {
  const live = new Map();
  const session = (n) => ({
    encoderStreamId: `enc_${n}`,
    liveStartedAt: new Date().toISOString(),
    mode: 'cloud',
  });
  for (let i = 0; i < studios; i += 2) live.set(`st_${i}`, session(i));
  const noHeaders = { get: () => null };
  let changes = 0;
  const churn = setInterval(() => {
    for (let n = 0; n < Math.ceil(studios / 200); n++) {
      const id = `st_${Math.floor(Math.random() * studios)}`;
      if (live.has(id) && Math.random() < 0.5) live.delete(id);
      else live.set(id, session(`x${++changes}`));
    }
  }, 1000);
  const offline = JSON.stringify({
    live: false,
    encoderStreamId: null,
    liveStartedAt: null,
    mode: null,
  });
  const fetch = async (url) => {
    const id = url.slice(url.lastIndexOf('/studios/') + 9, url.lastIndexOf('/stream-status'));
    const status = live.get(id);
    const text = status ? JSON.stringify({ live: true, ...status }) : offline;
    return { status: 200, headers: noHeaders, text: async () => text };
  };
  return { fetch, stop: () => clearInterval(churn) };
}
