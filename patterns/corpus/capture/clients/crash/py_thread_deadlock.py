# a worker thread dies on an uncaught DeadlockDetected (threading.excepthook prints it)
import threading, time, psycopg
DSN = "postgresql://postgres@127.0.0.1:55433/cap"
with psycopg.connect(DSN, autocommit=True) as c:
    c.execute("create table if not exists cr_accounts(id int primary key, balance int)")
    c.execute("insert into cr_accounts values (1,1),(2,2) on conflict do nothing")
b = threading.Barrier(2)
def transfer(first, second):
    with psycopg.connect(DSN) as conn:
        conn.execute("update cr_accounts set balance = balance + 1 where id = %s", (first,))
        b.wait(); time.sleep(0.1)
        conn.execute("update cr_accounts set balance = balance + 1 where id = %s", (second,))
ts = [threading.Thread(target=transfer, args=(1, 2), name="transfer-worker-1"),
      threading.Thread(target=transfer, args=(2, 1), name="transfer-worker-2")]
[t.start() for t in ts]; [t.join() for t in ts]
