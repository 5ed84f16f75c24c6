// The bank API under load (bench/bank.mjs starts it in its own process): @stepup/express + PostgreSQL.
// Receives { databaseUrl, schema, issuer, audience, jwk, poolSize } over IPC, answers { port }.
import { openPostgres, startBankApi } from '@stepup-example/api';

process.once('message', async (config) => {
  const db = await openPostgres({
    connectionString: config.databaseUrl,
    schema: config.schema,
    max: config.poolSize,
  });
  const api = await startBankApi({
    port: 0,
    db,
    issuer: {
      issuer: config.issuer,
      audience: config.audience,
      jwks: { keys: [config.jwk] },
      algorithms: ['ES256'],
    },
  });
  process.send({ port: Number(new URL(api.url).port) });
  process.on('message', async (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
    if (message === 'stop') {
      await api.close();
      await db.close();
      process.exit(0);
    }
  });
});
