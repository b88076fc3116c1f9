"""Rate limits: one client address, one store, one way to count.

- clients: who the client is (X-Forwarded-For only from KOMIN_TRUSTED_PROXIES).
- rates: the KOMIN_RATE_* settings.
- store: the counters (Redis or the komin_rate_counter table), atomic, never evicted.
- limiter: take one from a limit or raise Limited (429, Retry-After, translated).
- throttles: the DRF throttles; decorators: the same for plain Django views.
- login: the authentication backend that limits password guessing.
- middleware: answers Limited raised outside DRF.
"""
