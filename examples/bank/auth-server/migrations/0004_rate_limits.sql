-- Shared rate limits: rate-limiter-flexible's RateLimiterPostgres table (its columns, in its order:
-- the key with its limiter's prefix, the points used, the end of the window in epoch milliseconds).
-- Every instance of the server on this database counts sign-in attempts and wrong codes here.
CREATE TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
