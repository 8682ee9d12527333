/** A replica's /metrics, read once: look up a series, e.g. `realtime_sockets_connected{namespace="/pos"}` (0 when absent). */
export async function readMetrics(baseUrl: string): Promise<(series: string) => number> {
  const lines = (await (await fetch(`${baseUrl}/metrics`)).text()).split('\n');
  return (series) => {
    const line = lines.find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
}
