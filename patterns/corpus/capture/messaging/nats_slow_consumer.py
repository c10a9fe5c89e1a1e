# nats-server 2.9.10 (Debian; write_deadline 1s, max_pending 4MB in /tmp/tailwatch-capture/messaging-nats/nats.conf), nats-py (PyPI):
# (a) a raw TCP subscriber that never reads its socket while a publisher floods -> server-side slow consumer;
# (b) a nats-py subscription with a small pending limit and a slow handler -> client-side slow consumer,
#     reported by nats-py's default error callback through Python logging.
import asyncio, socket, sys, logging, time
import nats
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s [%(levelname)s] %(name)s: %(message)s")
URL = "nats://127.0.0.1:34222"
async def main(mode):
    if mode == "server":
        s = socket.create_connection(("127.0.0.1", 34222)); s.recv(4096)
        s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"name":"inventory-projector","lang":"python","version":"raw"}\r\nSUB inventory.> 1\r\nPING\r\n')
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        nc = await nats.connect(URL, name="inventory-publisher")
        payload = b"x" * 65536
        for i in range(3000):
            await nc.publish("inventory.updated", payload)
            if i % 100 == 0: await nc.flush()
        await nc.flush(); await asyncio.sleep(3); await nc.close(); s.close()
    else:
        nc = await nats.connect(URL, name="pricing-worker")
        async def slow(msg): await asyncio.sleep(0.05)
        await nc.subscribe("prices.>", cb=slow, pending_msgs_limit=5, pending_bytes_limit=4096)
        pub = await nats.connect(URL)
        for i in range(200): await pub.publish("prices.eur", b"p" * 512)
        await pub.flush(); await asyncio.sleep(2); await pub.close(); await nc.close()
asyncio.run(main(sys.argv[1]))
