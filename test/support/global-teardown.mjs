// Stops only what global-setup started; a broker or database that was already running stays.
export default async function globalTeardown() {
  const infra = globalThis.__cashlessInfra;
  await infra?.kafka.stop?.();
  await infra?.postgres.stop?.();
}
