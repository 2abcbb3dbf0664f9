// A Piscina task that does nothing: the bare thread hand-off, as a floor for the pool's latency.
export default (task) => task.length;
