"""What lets the catalogue grow past one machine.

- HTTP validators (`middleware.CatalogueCacheMiddleware`): public pages and
  exports carry an ETag and Last-Modified taken from the catalogue's version,
  which the database moves on at every write (`versioning`), answer
  conditional requests with 304, and let a shared cache in front (a CDN, a
  caching proxy) serve readers for a short while.
- Read replicas (`routers`): with `DATABASE_REPLICA_URLS` set, anonymous
  readers' pages read from PostgreSQL replicas; writes, the admin and
  anyone with a session read and write the primary.
"""
