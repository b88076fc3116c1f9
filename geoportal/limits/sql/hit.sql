-- Count one hit in the key's window, opening a new window when the old one has expired,
-- in one statement: concurrent hits on one key queue on its row and none is lost.
-- clock_timestamp(), not now(): the caller may be inside a long transaction.
INSERT INTO komin_rate_counter AS c (key, count, expires_at)
VALUES (%(key)s, 1, clock_timestamp() + make_interval(secs => %(seconds)s))
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN c.expires_at <= clock_timestamp() THEN 1 ELSE c.count + 1 END,
    expires_at = CASE WHEN c.expires_at <= clock_timestamp() THEN EXCLUDED.expires_at
                      ELSE c.expires_at END
RETURNING count, GREATEST(1, ceil(extract(epoch FROM c.expires_at - clock_timestamp())))::int
