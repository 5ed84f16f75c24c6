import { testDatabases } from '@stepup-example/db/testing';

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (CI sets it), in a schema per opening. */
export const databases = testDatabases({
  databaseUrl: process.env.DATABASE_URL,
  schemaPrefix: 'as_test_',
  max: 3,
});
