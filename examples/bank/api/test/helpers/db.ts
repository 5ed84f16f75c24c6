import { testDatabases } from '@stepup-example/db/testing';

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (CI sets it), in a schema per opening. */
export const DATABASES = testDatabases({
  databaseUrl: process.env.DATABASE_URL,
  schemaPrefix: 'bank_api_test_',
  max: 10,
});
