# the process dies on an uncaught psycopg_pool.PoolTimeout
from psycopg_pool import ConnectionPool
pool = ConnectionPool("postgresql://postgres@127.0.0.1:55433/cap", min_size=1, max_size=1, timeout=0.5, open=True)
held = pool.getconn()
with pool.connection() as conn:
    conn.execute("select 1")
